"""Messages of `rnr data` (named datasets): key -> {"en": ..., "es": ...}."""

MESSAGES = {
    # ------------------------------------------------------------ help
    "data_help": {"en": "download, cache and list named datasets (text corpora, UCR/UEA archive, forecasting)",
                  "es": "descargar, guardar y listar conjuntos de datos con nombre (textos, archivo UCR/UEA, pronóstico)"},
    "data_help_long": {
        "en": ("Named datasets with pinned sources and SHA-256 checksums, downloaded once into the cache "
               "folder ($RNR_DATA_DIR, else $XDG_CACHE_HOME/rnr/data, else ~/.cache/rnr/data). "
               "RNR_DATA_MIRROR (a folder or an http(s) address) replaces every source. "
               "rnr text train and rnr series train accept these names in place of a file."),
        "es": ("Conjuntos de datos con nombre, de fuentes fijas y sumas SHA-256, descargados una vez en la carpeta "
               "de caché ($RNR_DATA_DIR, si no $XDG_CACHE_HOME/rnr/data, si no ~/.cache/rnr/data). "
               "RNR_DATA_MIRROR (una carpeta o una dirección http(s)) reemplaza todas las fuentes. "
               "rnr text train y rnr series train aceptan estos nombres en lugar de un archivo."),
    },
    "data_help_list": {"en": "list the datasets and whether each is in the cache",
                       "es": "listar los conjuntos de datos y si cada uno está en la caché"},
    "data_help_get": {"en": "download datasets into the cache (if needed) and print their paths",
                      "es": "descargar conjuntos de datos a la caché (si hace falta) y mostrar sus rutas"},
    "data_help_path": {"en": "print a dataset's path in the cache (downloading it if needed)",
                       "es": "mostrar la ruta de un conjunto de datos en la caché (descargándolo si hace falta)"},
    "data_help_info": {"en": "describe a dataset: files, sources, checksums, licence, citation",
                       "es": "describir un conjunto de datos: archivos, fuentes, sumas, licencia, cita"},
    "data_help_names": {"en": "dataset names (rnr data list shows them; case does not matter)",
                        "es": "nombres de conjuntos de datos (rnr data list los muestra; da igual mayúsculas o minúsculas)"},
    "data_help_all": {"en": "every dataset", "es": "todos los conjuntos de datos"},
    "data_help_split": {"en": "only the train or the test file of a classification dataset",
                        "es": "solo el archivo de entrenamiento o el de prueba de un conjunto de clasificación"},

    # ------------------------------------------------------------ list and info
    "data_col_name": {"en": "name", "es": "nombre"},
    "data_col_kind": {"en": "kind", "es": "tipo"},
    "data_col_size": {"en": "size", "es": "tamaño"},
    "data_col_licence": {"en": "licence", "es": "licencia"},
    "data_col_cached": {"en": "cached", "es": "en caché"},
    "data_col_about": {"en": "description", "es": "descripción"},
    "data_kind_text": {"en": "text", "es": "texto"},
    "data_kind_classification": {"en": "classification", "es": "clasificación"},
    "data_kind_forecast": {"en": "forecast", "es": "pronóstico"},
    "data_public_domain": {"en": "public domain", "es": "dominio público"},
    "data_yes": {"en": "yes", "es": "sí"},
    "data_no": {"en": "no", "es": "no"},
    "data_no_manual": {"en": "no (mirror or copy)", "es": "no (espejo o copia)"},
    "data_list_cache": {"en": "Cache folder: {path}", "es": "Carpeta de caché: {path}"},
    "data_list_mirror": {"en": "Mirror (RNR_DATA_MIRROR): {mirror}", "es": "Espejo (RNR_DATA_MIRROR): {mirror}"},
    "data_list_manual": {
        "en": "{name} has no pinned download ({origin} with edits); it needs RNR_DATA_MIRROR or a copy at {path}.",
        "es": "{name} no tiene descarga fija ({origin} con cambios); necesita RNR_DATA_MIRROR o una copia en {path}."},
    "data_info_field": {"en": "{label}: {value}", "es": "{label}: {value}"},
    "data_info_citation": {"en": "citation", "es": "cita"},
    "data_info_file": {"en": "file", "es": "archivo"},
    "data_info_source": {"en": "source", "es": "fuente"},
    "data_info_manual": {"en": "none pinned; edited from {origin}", "es": "ninguna fija; editado a partir de {origin}"},
    "data_info_bytes": {"en": "{size:,} bytes", "es": "{size:,} bytes"},

    # ------------------------------------------------------------ one line per dataset
    "data_about_tinyshakespeare": {
        "en": "Tiny Shakespeare, the corpus of Karpathy's char-rnn (English, 65 characters)",
        "es": "Tiny Shakespeare, el corpus de char-rnn de Karpathy (inglés, 65 caracteres)"},
    "data_about_quijote": {
        "en": "Don Quijote de la Mancha, both parts (Spanish, accents and ñ)",
        "es": "Don Quijote de la Mancha, ambas partes (español, con tildes y ñ)"},
    "data_about_gunpoint": {
        "en": "hand motion with or without a gun, univariate, length 150, 2 classes",
        "es": "movimiento de la mano con o sin pistola, univariada, longitud 150, 2 clases"},
    "data_about_italypowerdemand": {
        "en": "daily Italian electricity demand, winter or summer, length 24, 2 classes",
        "es": "demanda eléctrica diaria de Italia, invierno o verano, longitud 24, 2 clases"},
    "data_about_basicmotions": {
        "en": "smartwatch motions, 6 dimensions, length 100, 4 classes",
        "es": "movimientos con reloj inteligente, 6 dimensiones, longitud 100, 4 clases"},
    "data_about_pickupgesturewiimotez": {
        "en": "Wii remote gestures, univariate, unequal lengths, 10 classes",
        "es": "gestos con el mando de Wii, univariada, longitudes distintas, 10 clases"},
    "data_about_osuleaf": {
        "en": "leaf outlines, univariate, length 427, 6 classes",
        "es": "contornos de hojas, univariada, longitud 427, 6 clases"},
    "data_about_acsf1": {
        "en": "appliance power consumption, univariate, length 1460, 10 classes",
        "es": "consumo eléctrico de aparatos, univariada, longitud 1460, 10 clases"},
    "data_about_airline": {
        "en": "monthly airline passengers 1949-1960 (Box and Jenkins)",
        "es": "pasajeros aéreos mensuales 1949-1960 (Box y Jenkins)"},
    "data_about_pbs": {
        "en": "monthly scripts of Australia's Pharmaceutical Benefits Scheme, 1991-2008",
        "es": "recetas mensuales del Pharmaceutical Benefits Scheme de Australia, 1991-2008"},
    "data_about_uschange": {
        "en": "quarterly US consumption, income, production, savings and unemployment changes",
        "es": "cambios trimestrales de consumo, ingreso, producción, ahorro y desempleo de EE. UU."},
    "data_about_solar": {
        "en": "half-hourly solar generation in Great Britain (Sheffield Solar PV_Live)",
        "es": "generación solar cada media hora en Gran Bretaña (Sheffield Solar PV_Live)"},
    "data_about_m1_yearly": {
        "en": "181 yearly series of the M1 competition, Monash .tsf format",
        "es": "181 series anuales de la competición M1, formato .tsf de Monash"},

    # ------------------------------------------------------------ refusals
    "data_unknown": {"en": "Unknown dataset '{name}'; choose one of: {choices}.",
                     "es": "Conjunto de datos desconocido '{name}'; elija uno de: {choices}."},
    "data_need_name": {"en": "Name one or more datasets, or use --all (rnr data list shows them).",
                       "es": "Nombre uno o más conjuntos de datos, o use --all (rnr data list los muestra)."},
    "data_need_split": {"en": "{name} has a train and a test file; choose one with split=\"train\" or \"test\".",
                        "es": "{name} tiene un archivo de entrenamiento y uno de prueba; elija uno con split=\"train\" o \"test\"."},
    "data_bad_split": {"en": "'{split}' is not a split of {name}; it has: {choices}.",
                       "es": "'{split}' no es una parte de {name}; tiene: {choices}."},
    "data_manual": {
        "en": ("{name} has no pinned download ({origin} with edits): copy {file} to {path}, or set RNR_DATA_MIRROR "
               "to a folder or http(s) address that holds {file}."),
        "es": ("{name} no tiene descarga fija ({origin} con cambios): copie {file} en {path}, o defina "
               "RNR_DATA_MIRROR como una carpeta o dirección http(s) que contenga {file}.")},
    "data_mirror_bad": {"en": "RNR_DATA_MIRROR={mirror} is neither an existing folder nor an http:// or https:// address.",
                        "es": "RNR_DATA_MIRROR={mirror} no es una carpeta existente ni una dirección http:// o https://."},
    "data_mirror_missing": {"en": "The mirror has no {source}; put {file} there, or unset RNR_DATA_MIRROR.",
                            "es": "El espejo no tiene {source}; ponga {file} allí, o quite RNR_DATA_MIRROR."},
    "data_download_failed": {
        "en": ("Could not download {url} ({reason}); put the file at {path} by hand, or set RNR_DATA_MIRROR "
               "to a folder or http(s) address that holds {file}."),
        "es": ("No se pudo descargar {url} ({reason}); ponga el archivo en {path} a mano, o defina RNR_DATA_MIRROR "
               "como una carpeta o dirección http(s) que contenga {file}.")},
    "data_truncated": {"en": "{source} ended after {got:,} of {expected:,} bytes; nothing was stored.",
                       "es": "{source} terminó tras {got:,} de {expected:,} bytes; no se guardó nada."},
    "data_too_long": {"en": "{source} is longer than the {expected:,} bytes of {file}; nothing was stored.",
                      "es": "{source} es más largo que los {expected:,} bytes de {file}; no se guardó nada."},
    "data_checksum": {
        "en": "{source} has SHA-256 {got}, not {expected}: it is damaged or another version; nothing was stored.",
        "es": "{source} tiene SHA-256 {got}, no {expected}: está dañado o es otra versión; no se guardó nada."},
    "data_no_reader": {"en": "rnr cannot read .tsf files yet; {name} is at {path}.",
                       "es": "rnr aún no lee archivos .tsf; {name} está en {path}."},
}
