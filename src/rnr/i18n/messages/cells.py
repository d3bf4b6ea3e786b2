"""Messages of the parallel-scan cells (mingru, minlstm, lru): the names of
the LRU's traced quantities, for ``rnr view`` (``rnr.engine.traces.QUANTITY``)."""

MESSAGES = {
    "view_q_lru_re": {"en": "state, real part Re s", "es": "estado, parte real Re s"},
    "view_q_lru_im": {"en": "state, imaginary part Im s", "es": "estado, parte imaginaria Im s"},
    "view_q_lru_y": {"en": "readout y = Re(C s) + D x", "es": "lectura y = Re(C s) + D x"},
}
