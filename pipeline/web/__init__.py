"""The web layer the desk and the editor both stand on (issue 23): the guards every page
has (Host check, a token on every form, size limits, CSP, no-store), reading a form, the
app's middleware, and the server's start-up.

  guard.py   the Host names, form tokens, same-origin POSTs, body limits, headers, access log
  pages.py   the plain pages said before an app's own page can be shown (refusals, limits)
  forms.py   a POST read behind those guards, and the session's token
  lists.py   the list buttons (remove, up, down) of a form without JavaScript
  app.py     a Starlette app with the guards in front of its routes
  server.py  the app served by uvicorn on a socket bound first, opened in the browser
"""
