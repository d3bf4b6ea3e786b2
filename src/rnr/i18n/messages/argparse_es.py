"""argparse's own words in Spanish (see ``rnr.i18n.argparse_language``).

argparse asks ``gettext`` for every word it prints: the headings of
``--help``, the help of ``-h`` and its usage errors. ``ARGPARSE`` maps each
of those English strings (exactly as argparse spells them, with the same
``%s`` and ``%(name)s`` fields) to Spanish. ``tests/test_cli_spanish.py``
checks that every string argparse translates has an entry here, so a new
Python that adds one is noticed.
"""

MESSAGES: dict = {}  # rnr's own messages live in the other modules

ARGPARSE = {
    # --help
    "usage: ": "uso: ",
    "positional arguments": "argumentos posicionales",
    "options": "opciones",
    "optional arguments": "opciones",  # Python before 3.10
    "show this help message and exit": "muestra esta ayuda y termina",
    # usage errors (rnr prints them as "error: ... (rnr COMMAND --help)")
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "faltan los argumentos obligatorios: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elija entre %(choices)s)",
    "invalid %(type)s value: %(value)r": "valor de tipo %(type)s no válido: %(value)r",
    "expected one argument": "se esperaba un valor",
    "expected at most one argument": "se esperaba como mucho un valor",
    "expected at least one argument": "se esperaba al menos un valor",
    "expected %s argument": "se esperaba %s valor",
    "expected %s arguments": "se esperaban %s valores",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "ambiguous option: %(option)s could match %(matches)s": "opción ambigua: %(option)s puede ser %(matches)s",
    "not allowed with argument %s": "no se admite junto con el argumento %s",
    "ignored explicit argument %r": "se ignoró el valor explícito %r",
    "one of the arguments %s is required": "hace falta uno de los argumentos %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "orden desconocida %(parser_name)r (opciones: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "no se puede abrir '%(filename)s': %(error)s",
    "unexpected option string: %s": "opción inesperada: %s",
    # mistakes of a program's own parser definition, never a user's: kept for completeness
    "'required' is an invalid argument for positionals": "'required' no es válido para argumentos posicionales",
    "%r is not callable": "%r no se puede llamar",
    ".__call__() not defined": ".__call__() no está definido",
    'argument "-" with mode %r': 'argumento "-" con modo %r',
    "cannot have multiple subparser arguments": "no puede haber varios argumentos de subórdenes",
    "cannot merge actions - two groups are named %r": "no se pueden unir acciones: dos grupos se llaman %r",
    "conflicting subparser alias: %s": "alias de suborden en conflicto: %s",
    "conflicting subparser: %s": "suborden en conflicto: %s",
    "dest= is required for options like %r": "dest= es obligatorio para opciones como %r",
    "invalid conflict_resolution value: %r": "valor de conflict_resolution no válido: %r",
    "mutually exclusive arguments must be optional": "los argumentos mutuamente excluyentes deben ser opcionales",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "cadena de opción no válida %(option)r: debe empezar con un carácter %(prefix_chars)r",
    "conflicting option string: %s": "opción en conflicto: %s",
    "conflicting option strings: %s": "opciones en conflicto: %s",
}
