"""`pipeline edit`: the authors' editor in the browser (issue 23), an app on the web layer
the desk stands on (pipeline/web/).

  entries.py   the library's list: every exercise and routine with its problems
  fields.py    the form's controls, generated from the schema
  values.py    a posted form back to data, and the list buttons (add, remove, move)
  yamledit.py  the file edited in place: ruamel round trip, its version, an atomic write
  checking.py  the check of `pipeline check` run on the edited text before it is written
  app.py       the routes
"""
