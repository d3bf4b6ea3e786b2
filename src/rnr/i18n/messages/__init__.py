"""User-facing messages, one module per feature; see rnr.i18n."""
