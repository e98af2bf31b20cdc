# Run many aws-cli commands in one Python process: the same entry point /usr/bin/aws calls
# (awscli.clidriver.main -> AWSCLIEntryPoint().main(argv)), with a fresh driver and session for each command and
# its own stdout and stderr, so that Python's start-up and aws-cli's imports (most of a run's second) are paid once.
# stdin: a JSON list of argument lists. stdout: a JSON list of {"code", "stdout", "stderr"}, in the same order.
# Used by test/helpers/aws-stand-in.ts (runAwsMany); the environment comes from there.
import io
import json
import os
import sys

if os.environ.get('LC_CTYPE', '') == 'UTF-8':
    os.environ['LC_CTYPE'] = 'en_US.UTF-8'
import awscli.clidriver  # noqa: E402


def run(argv):
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    # As sys.stdout and sys.stderr are on a pipe with PYTHONIOENCODING=utf-8: strict and backslashreplace.
    out = io.TextIOWrapper(out_bytes, encoding='utf-8', errors='strict', write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding='utf-8', errors='backslashreplace', write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = awscli.clidriver.AWSCLIEntryPoint().main(argv)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = saved
    return {'code': code if isinstance(code, int) else 0, 'stdout': out_bytes.getvalue().decode('utf-8'), 'stderr': err_bytes.getvalue().decode('utf-8', 'replace')}


def main():
    commands = json.load(sys.stdin)
    results = [run(argv) for argv in commands]
    sys.stdout.write(json.dumps(results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
