"""gunicorn's access log without secrets: the path and the request line are
written with every secret part hidden (passport.project.logs.redact_path), and the Referer the same
way. New links carry their secret after "#", which never reaches the server; older ones, and
the emailed password-reset link, carry it in the path, and this is what keeps it out."""

from gunicorn.glogging import Logger

from passport.project.logs import redact, redact_path


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(atoms.get("U", ""))
        atoms["U"] = path
        atoms["r"] = f"{atoms.get('m', '')} {path} {environ.get('SERVER_PROTOCOL', '')}"
        atoms["q"] = ""
        atoms["f"] = redact(atoms.get("f", ""))
        atoms["{raw_uri}e"] = ""
        return atoms
