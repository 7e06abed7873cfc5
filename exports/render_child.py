"""The child process of one PDF render: print HTML on stdin, the PDF on stdout.

Started by exports/pdf_tasks.py with a memory limit (RLIMIT_AS) and a time limit; it needs the
settings and the static files, never the database. Exit code 3 means it ran out of memory.
"""

import os
import sys


def main() -> int:
    language = sys.argv[1] if len(sys.argv) > 1 else "nl"
    html = sys.stdin.buffer.read().decode("utf-8")
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compass.settings")
        import django

        django.setup()
        from django.utils import translation

        from exports.pdf import html_to_pdf

        with translation.override(language):
            pdf = html_to_pdf(html, name="cycle report")
    except MemoryError:
        return 3
    except Exception as exc:  # the traceback is logged by exports.pdf; the parent logs stderr
        if isinstance(exc.__cause__, MemoryError):
            return 3
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
