def application(environ, start_response):
    raise RuntimeError("database connection lost")
