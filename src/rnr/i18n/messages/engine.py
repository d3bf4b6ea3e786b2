"""Messages of the training engine (settings, run folders, checkpoints, the
host loop, progress): key -> {"en": ..., "es": ...}."""

MESSAGES = {
    # settings
    "setting_bad": {"en": "{flag} must be {rule}, got {value}.",
                    "es": "{flag} debe ser {rule}, se recibió {value}."},
    "setting_list": {"en": "'{value}' is not a list of whole numbers separated by commas, e.g. 10,50,100",
                     "es": "'{value}' no es una lista de números enteros separados por comas, p. ej. 10,50,100"},
    "rule_int": {"en": "a whole number from {low} to {high}", "es": "un número entero entre {low} y {high}"},
    "rule_int_min": {"en": "a whole number of at least {low}", "es": "un número entero de al menos {low}"},
    "rule_float": {"en": "a finite number in {interval}", "es": "un número finito en {interval}"},
    "rule_float_above": {"en": "a finite number above {low}", "es": "un número finito mayor que {low}"},
    "rule_float_min": {"en": "a finite number of at least {low}", "es": "un número finito de al menos {low}"},
    "yes": {"en": "yes", "es": "sí"},
    "no": {"en": "no", "es": "no"},
    "rule_choices": {"en": "one of: {choices}", "es": "uno de: {choices}"},
    "resume_conflict": {
        "en": ("{flag} {value} differs from the run's stored {stored}; a resumed run keeps its settings "
               "(only the limits and --lr may change): leave {flag} out, or train a new run."),
        "es": ("{flag} {value} difiere del valor guardado en la corrida, {stored}; una corrida reanudada conserva "
               "sus ajustes (solo cambian los límites y --lr): omita {flag} o entrene una corrida nueva."),
    },
    "resume_out": {
        "en": "--resume continues the run in {run} itself, so --out {out} cannot be used with it; leave --out out.",
        "es": "--resume continúa la corrida en la propia {run}, así que no admite --out {out}; omita --out.",
    },
    "detail_too_large": {"en": "larger than any run's settings", "es": "más grande que los ajustes de cualquier corrida"},
    "detail_not_json": {"en": "not valid JSON", "es": "no es JSON válido"},
    "detail_not_object": {"en": "not a JSON object", "es": "no es un objeto JSON"},
    "detail_unknown_task": {"en": "unknown task {task}", "es": "tarea desconocida {task}"},
    "reason_is_file": {"en": "it is a file", "es": "es un archivo"},
    "reason_not_writable_folder": {"en": "{path} is not a writable folder", "es": "{path} no es una carpeta escribible"},
    # run folders
    "run_in_use": {
        "en": "The run folder {path} is in use by another rnr process; wait for it to finish or choose another --out.",
        "es": "Otro proceso de rnr está usando la carpeta {path}; espere a que termine o elija otro --out.",
    },
    "run_config_bad": {
        "en": "{path} cannot be read as a run's settings ({detail}); restore it or train a new run.",
        "es": "{path} no se puede leer como los ajustes de una corrida ({detail}); restáurelo o entrene otra corrida.",
    },
    "run_config_field": {
        "en": "{path} holds a bad setting: {problem} Restore the file or train a new run.",
        "es": "{path} tiene un ajuste incorrecto: {problem} Restaure el archivo o entrene otra corrida.",
    },
    "run_config_missing": {
        "en": "{path} lacks the setting '{field}' (its default may not be what the run was trained with); restore the file or train a new run.",
        "es": "A {path} le falta el ajuste '{field}' (su valor por omisión puede no ser el del entrenamiento); restaure el archivo o entrene otra corrida.",
    },
    "run_no_model": {"en": "{path} is a '{kind}' run, which keeps no model; give a run of rnr eco or rnr text.",
                     "es": "{path} es una corrida de '{kind}', que no guarda un modelo; indique una de rnr eco o rnr text."},
    # checkpoints
    "checkpoint_mismatch": {
        "en": "The checkpoint {path} does not match the run's config.json ({detail}); was config.json edited?",
        "es": "El punto de control {path} no coincide con el config.json de la corrida ({detail}); ¿se editó config.json?",
    },
    "detail_tensor_missing": {"en": "it lacks the tensor {name}", "es": "le falta el tensor {name}"},
    "detail_tensor_extra": {"en": "it holds the tensor {name}, which that model does not have",
                            "es": "contiene el tensor {name}, que ese modelo no tiene"},
    "detail_tensor_shape": {"en": "the tensor {name} has shape {shape}, not {expected}",
                            "es": "el tensor {name} tiene forma {shape}, no {expected}"},
    "detail_tensor_dtype": {"en": "the tensor {name} holds {dtype} values, not {expected}",
                            "es": "el tensor {name} contiene valores {dtype}, no {expected}"},
    "checkpoint_other_facts": {
        "en": "The checkpoint {path} was trained with another '{name}' than the run's config.json holds; was config.json edited? Restore it or train a new run.",
        "es": "El punto de control {path} se entrenó con otro '{name}' que el que guarda el config.json de la corrida; ¿se editó config.json? Restáurelo o entrene otra corrida.",
    },
    "checkpoint_no_position": {
        "en": "The checkpoint {path} does not say where training stood (it was not written by rnr's training), so it cannot be resumed; train a new run.",
        "es": "El punto de control {path} no indica dónde estaba el entrenamiento (no lo escribió el entrenamiento de rnr), así que no se puede reanudar; entrene otra corrida.",
    },
    "resume_other_facts": {
        "en": "The files given now would change the '{name}' run {run} was trained with; resume with the files it was trained on, or train a new run.",
        "es": "Los archivos indicados ahora cambiarían el '{name}' con el que se entrenó la corrida {run}; reanude con los archivos del entrenamiento o entrene otra corrida.",
    },
    "nothing_left": {
        "en": "The run {path} has already reached its limits ({step:,} steps trained); there is nothing left to train, so nothing was changed. Give larger limits to train further.",
        "es": "La corrida {path} ya alcanzó sus límites ({step:,} pasos entrenados); no queda nada que entrenar, así que nada cambió. Dé límites mayores para seguir entrenando.",
    },
    "checkpoint_not_finite": {
        "en": "The checkpoint {path} holds values that are not finite (in {name}); use another run or retrain.",
        "es": "El punto de control {path} contiene valores no finitos (en {name}); use otra corrida o vuelva a entrenar.",
    },
    "file_unreadable": {"en": "Cannot read {path} ({reason}).", "es": "No se puede leer {path} ({reason})."},
    # operating-system errors
    "os_no_space": {"en": "No space left on the device while writing {path}; free some space and try again.",
                    "es": "No queda espacio en el dispositivo al escribir {path}; libere espacio e inténtelo de nuevo."},
    "os_read_only": {"en": "Cannot write {path}: the file system is read-only; use a folder on a writable one.",
                     "es": "No se puede escribir {path}: el sistema de archivos es de solo lectura; use una carpeta en uno escribible."},
    "os_permission": {"en": "Permission denied for {path}; choose a folder you may write to, or fix its permissions.",
                      "es": "Permiso denegado para {path}; elija una carpeta en la que pueda escribir o corrija sus permisos."},
    "os_is_folder": {"en": "{path} is a folder where a file was expected; move it away or choose another path.",
                     "es": "{path} es una carpeta donde se esperaba un archivo; muévala o elija otra ruta."},
    "os_not_folder": {"en": "A file stands where a folder was expected in {path}; choose another path.",
                      "es": "Hay un archivo donde se esperaba una carpeta en {path}; elija otra ruta."},
    "os_missing": {"en": "{path} does not exist (was it removed while rnr ran?); check the path.",
                   "es": "{path} no existe (¿se borró mientras rnr trabajaba?); revise la ruta."},
    "size": {"en": "{n:.1f} {unit}", "es": "{n:.1f} {unit}"},
    "size_bytes": {"en": "{n} B", "es": "{n} B"},
    "os_unnamed": {"en": "the output", "es": "la salida"},
    "os_other": {"en": "The operating system refused {path} ({reason}).",
                 "es": "El sistema operativo rechazó {path} ({reason})."},
    "help_no_cache": {"en": "do not use or fill the compilation cache (~/.cache/rnr/jax)",
                      "es": "no usar ni llenar la caché de compilación (~/.cache/rnr/jax)"},
    "devices_too_many": {"en": "--devices {n} asks for more devices than the {have} this machine has; use at most {have}.",
                         "es": "--devices {n} pide más dispositivos que los {have} de esta máquina; use como mucho {have}."},
    "devices_members": {"en": ("--devices {n} does not split the {members} networks of --ensemble evenly; choose a "
                                "device count that divides {members}, or --ensemble 1 to split the batch instead."),
                        "es": ("--devices {n} no reparte por igual las {members} redes de --ensemble; elija un número "
                               "de dispositivos que divida {members}, o --ensemble 1 para repartir el lote.")},
    "devices_batch": {"en": "--batch {batch} does not split evenly over --devices {n}; choose a batch that {n} divides.",
                      "es": "--batch {batch} no se reparte por igual entre --devices {n}; elija un lote divisible por {n}."},
    "out_of_memory": {"en": "This machine ran out of memory; use a smaller model, batch or file.",
                      "es": "Esta máquina se quedó sin memoria; use un modelo, lote o archivo más pequeño."},
    "interrupted_now": {"en": "Stopped at once; every file written so far is whole.",
                        "es": "Detenido al instante; todos los archivos escritos hasta ahora están completos."},
    "not_int": {"en": "'{value}' is not a whole number", "es": "'{value}' no es un número entero"},
    "not_float": {"en": "'{value}' is not a number", "es": "'{value}' no es un número"},
    "distributed_failed": {"en": "Could not join the other processes ({reason}); check --coordinator HOST:PORT, "
                                   "--num-processes and --process-id, and that process 0 runs.",
                           "es": "No se pudo unir a los demás procesos ({reason}); revise --coordinator HOST:PUERTO, "
                                 "--num-processes y --process-id, y que el proceso 0 esté en marcha."},
    "distributed_flags": {"en": "--coordinator needs --num-processes N and --process-id I (0 to N-1).",
                          "es": "--coordinator necesita --num-processes N y --process-id I (de 0 a N-1)."},
    "distributed_out": {"en": "Several processes train together: give them all the same --out folder.",
                        "es": "Varios procesos entrenan juntos: indíqueles a todos la misma carpeta --out."},
    "env_bad": {"en": "The environment variable {name}={value} cannot be used: it must be {rule}; fix or unset it.",
                "es": "La variable de entorno {name}={value} no se puede usar: debe ser {rule}; corríjala o quítela."},
    "rule_platforms": {"en": "a list of platform names separated by commas, such as cpu or cuda",
                       "es": "una lista de nombres de plataforma separados por comas, como cpu o cuda"},
    "env_platform_missing": {
        "en": "The environment variable JAX_PLATFORMS={value} names a platform that is not present on this machine; "
              "unset it or set JAX_PLATFORMS=cpu.",
        "es": "La variable de entorno JAX_PLATFORMS={value} nombra una plataforma que no existe en esta máquina; "
              "quítela o use JAX_PLATFORMS=cpu."},
    "distributed_address": {
        "en": "--coordinator {address} is not HOST:PORT (a host name or IP address, a colon, a port from 1 to 65535).",
        "es": "--coordinator {address} no es HOST:PUERTO (un nombre de host o una dirección IP, dos puntos y un "
              "puerto de 1 a 65535)."},
    "distributed_host": {"en": "--coordinator {address}: the host {host} cannot be found; check its name or give its IP address.",
                         "es": "--coordinator {address}: no se encuentra el host {host}; revise su nombre o indique su "
                               "dirección IP."},
    "distributed_port_busy": {
        "en": "--coordinator {address}: port {port} is already in use on this machine, so process 0 cannot listen on "
              "it; choose another port for every process.",
        "es": "--coordinator {address}: el puerto {port} ya está en uso en esta máquina, así que el proceso 0 no "
              "puede escuchar en él; elija otro puerto para todos los procesos."},
    "distributed_listen": {
        "en": "--coordinator {address}: process 0 cannot listen on port {port} ({reason}); choose another port for "
              "every process.",
        "es": "--coordinator {address}: el proceso 0 no puede escuchar en el puerto {port} ({reason}); elija otro "
              "puerto para todos los procesos."},
    "distributed_join_timeout": {
        "en": "Not all {n} processes joined within {seconds} s (RNR_JOIN_SECONDS); start every process with "
              "--num-processes {n} and its own --process-id from 0 to {last}, or raise RNR_JOIN_SECONDS.",
        "es": "No se unieron los {n} procesos en {seconds} s (RNR_JOIN_SECONDS); lance cada proceso con "
              "--num-processes {n} y su propio --process-id de 0 a {last}, o aumente RNR_JOIN_SECONDS."},
    "distributed_join_timeout_launcher": {
        "en": "Not all processes of this launch joined within {seconds} s (RNR_JOIN_SECONDS); check the launcher "
              "(SLURM, Open MPI), or raise RNR_JOIN_SECONDS.",
        "es": "No se unieron todos los procesos de este lanzamiento en {seconds} s (RNR_JOIN_SECONDS); revise el "
              "lanzador (SLURM, Open MPI) o aumente RNR_JOIN_SECONDS."},
    "distributed_lost_unsaved": {
        "en": "Another process of this multi-process run failed or stopped before the first checkpoint, so nothing "
              "was saved; start every process again.",
        "es": "Otro proceso de esta corrida de varios procesos falló o se detuvo antes del primer punto de control, "
              "así que no se guardó nada; vuelva a lanzar todos los procesos."},
    "distributed_lost": {"en": "Another process of this multi-process run failed or stopped; the last checkpoint is kept. "
                               "Start every process again (with --resume).",
                         "es": "Otro proceso de esta corrida de varios procesos falló o se detuvo; se conserva el último "
                               "punto de control. Vuelva a lanzar todos los procesos (con --resume)."},
    "distributed_alone": {"en": "--num-processes and --process-id need --coordinator HOST:PORT.",
                          "es": "--num-processes y --process-id necesitan --coordinator HOST:PUERTO."},
    "distributed_devices": {"en": "--devices cannot be chosen in a multi-process run: every device of every process takes part.",
                            "es": "--devices no se puede elegir en una corrida de varios procesos: participan todos los dispositivos de todos los procesos."},
    "distributed_unreachable": {"en": "Nobody answers at the coordinator {address} after {seconds} s; start process 0 first, "
                                      "or check the host and port.",
                                "es": "Nadie responde en el coordinador {address} tras {seconds} s; lance antes el proceso 0 "
                                      "o revise el host y el puerto."},
    "distributed_mismatch": {"en": "The processes of this run were started with different settings or texts; "
                                   "start them all with the same options and the same file.",
                             "es": "Los procesos de esta corrida se lanzaron con ajustes o textos distintos; lance todos "
                                   "con las mismas opciones y el mismo archivo."},
    "help_coordinator": {"en": "HOST:PORT of process 0, to train with several processes (machines)",
                         "es": "HOST:PUERTO del proceso 0, para entrenar con varios procesos (máquinas)"},
    "help_num_processes": {"en": "how many processes train together (with --coordinator)",
                           "es": "cuántos procesos entrenan juntos (con --coordinator)"},
    "help_process_id": {"en": "this process's number, 0 to N-1 (with --coordinator)",
                        "es": "el número de este proceso, de 0 a N-1 (con --coordinator)"},
    # the host loop
    "unit_windows": {"en": "windows", "es": "ventanas"},
    "unit_steps": {"en": "steps", "es": "pasos"},
    "unit_epochs": {"en": "epochs", "es": "épocas"},
    # progress (rnr.cli.progress): the same words on the bar and in the log lines
    "progress_line": {"en": "{step:,}{of} {unit}: loss {loss:.4f}, {rate:,.0f} {unit}/s{left}",
                      "es": "{step:,}{of} {unit}: pérdida {loss:.4f}, {rate:,.0f} {unit}/s{left}"},
    "progress_of": {"en": "/{total:,}", "es": "/{total:,}"},
    "progress_epoch": {"en": "Epoch {epoch}: mean loss {loss:.6f} ({done:,}{of} epochs done), {rate:,.0f} {unit}/s{left}",
                       "es": "Época {epoch}: pérdida media {loss:.6f} ({done:,}{of} épocas hechas), {rate:,.0f} {unit}/s{left}"},
    "progress_left": {"en": ", {clock} left", "es": ", faltan {clock}"},
    "progress_bar": {"en": "{step:,}{of} {unit}, loss {loss:.4f}, {rate:,.0f} {unit}/s{left}",
                     "es": "{step:,}{of} {unit}, pérdida {loss:.4f}, {rate:,.0f} {unit}/s{left}"},
    # placeholders of --help (argparse's metavar)
    "meta_int": {"en": "N", "es": "N"},
    "meta_float": {"en": "X", "es": "X"},
    "meta_name": {"en": "NAME", "es": "NOMBRE"},
    "meta_list_int": {"en": "N,N,...", "es": "N,N,..."},
    "meta_list_name": {"en": "NAME,...", "es": "NOMBRE,..."},
    "meta_dir": {"en": "FOLDER", "es": "CARPETA"},
    "meta_run": {"en": "RUN", "es": "CORRIDA"},
    "meta_file": {"en": "FILE", "es": "ARCHIVO"},
    "meta_text": {"en": "TEXT", "es": "TEXTO"},
    "meta_command": {"en": "COMMAND", "es": "ORDEN"},
    "meta_action": {"en": "ACTION", "es": "ACCIÓN"},
    "meta_address": {"en": "HOST:PORT", "es": "HOST:PUERTO"},
    "meta_torch_out": {"en": "OUT.safetensors", "es": "SALIDA.safetensors"},
    # the command line
    "help_version": {"en": "print rnr's version and exit", "es": "muestra la versión de rnr y termina"},
}
