"""The trust boundary: what a pull request's files may do, in one place (docs/security.md).

Everything under content/, and a studio's own templates/ and schema/, is untrusted input.
Each module here keeps one promise of docs/security.md.
"""
