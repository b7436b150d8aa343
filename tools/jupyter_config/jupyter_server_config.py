# Loaded by the Jupyter server that `python3 run.py lab` / `notebook` start (run.py puts this folder on
# JUPYTER_CONFIG_PATH).
c = get_config()  # noqa: F821 - provided by traitlets when it loads this file
c.ServerApp.jpserver_extensions.update({
    # Saved lessons keep no dead widget views: each becomes one "Run All to start" line (bonemets_edu/jupyter_hooks.py).
    "bonemets_edu.jupyter_hooks": True,
    # The app view runs as its own Voila server (`python3 run.py present`); Voila's JupyterLab extension is not used,
    # and importing it turns traitlets' DeprecationWarnings back on (one is printed on every start).
    "voila.server_extension": False,
})
