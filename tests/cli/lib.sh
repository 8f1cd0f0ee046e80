# shellcheck shell=bash
# Sourced by every tests/cli/t-*.sh suite: a fresh temp directory, a pinned clock,
# and assertions on exact stdout, stderr, exit codes and files.
#
#   t "what this test proves"       starts a test; every expect_* below belongs to it
#   run crm contact add "Ana"       runs with stdin from /dev/null; sets $out $err $rc
#   run_input TEXT crm ...          same, with TEXT (plus a newline) on stdin
#   expect_rc 0; expect_out "id"; expect_err ""
#   finish                          prints the summary, exits 1 if anything failed
#
# Expected text is compared byte for byte; "TEXT" means TEXT followed by one newline
# (the way every line-printing command ends), and "" means nothing at all. With no
# argument, the expected text is read from stdin, so a quoted heredoc works.

set -u

if [[ -z ${CRM:-} ]]; then
  echo "lib.sh: set CRM to the crm binary" >&2
  exit 2
fi
# The suites cd into a temp dir, so a relative binary path must be made absolute first.
if [[ $CRM != /* && -e $CRM ]]; then CRM=$PWD/$CRM; fi
CLI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES=${CRM_TEST_FIXTURES:-$CLI_DIR/../fixtures}
export CRM FIXTURES

TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/crm-cli.XXXXXX")
_LIB=$(mktemp -d "${TMPDIR:-/tmp}/crm-cli-lib.XXXXXX") # snapshots and captures, outside TEST_ROOT
trap 'cd / && rm -rf "$TEST_ROOT" "$_LIB"' EXIT
cd "$TEST_ROOT" || exit 2

# A pinned "now" makes created/updated exact; a private HOME keeps the user's git
# config (and anything else) out of the results.
export CRM_NOW=2026-11-25T10:00:00+02:00
export HOME=$TEST_ROOT/home
mkdir -p "$HOME"
cat >"$HOME/.gitconfig" <<'EOF'
[user]
	name = Test User
	email = test@example.org
[init]
	defaultBranch = main
[commit]
	gpgsign = false
EOF
export GIT_CONFIG_NOSYSTEM=1
export LC_ALL=C.UTF-8 TZ=UTC
unset CRM_WORKSPACE VISUAL EDITOR NO_COLOR CRM_LOCK_TIMEOUT_MS

crm() { "$CRM" "$@"; }

# crm_in DIR ARGS...: crm started in DIR (for discovery tests: run crm_in sub list).
crm_in() { (cd "$1" && shift && "$CRM" "$@"); }

_tests=0
_failed=0
_checks=0
_test=""
_test_failed=0

_close_test() {
  if [[ -n $_test && $_test_failed -ne 0 ]]; then _failed=$((_failed + 1)); fi
  _test=""
  _test_failed=0
}

t() {
  _close_test
  _test=$1
  _tests=$((_tests + 1))
}

# The suite lines that led to the failing check, innermost first.
_where() {
  local i where=""
  for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
    if [[ ${BASH_SOURCE[i]} != "${BASH_SOURCE[0]}" ]]; then
      where+="${where:+ <- }${BASH_SOURCE[i]##*/}:${BASH_LINENO[i - 1]}"
    fi
  done
  printf '%s' "${where:-?}"
}

_pass() { _checks=$((_checks + 1)); }

# _fail WHAT [EXPECTED ACTUAL]: prints the test, the line and a diff.
_fail() {
  _checks=$((_checks + 1))
  _test_failed=1
  printf 'FAIL: %s\n  at %s: %s\n' "${_test:-(no test)}" "$(_where)" "$1"
  if [[ $# -ge 3 ]]; then
    printf '%s' "$2" >"$_LIB/expected"
    printf '%s' "$3" >"$_LIB/actual"
    diff -u --label expected --label actual "$_LIB/expected" "$_LIB/actual" | sed 's/^/    /'
    # Invisible differences (CR, escape codes, trailing spaces) shown byte by byte.
    if [[ $(tr -d '\r' <"$_LIB/expected" | sed 's/ *$//') == $(tr -d '\r' <"$_LIB/actual" | sed 's/ *$//') ]]; then
      echo "    (differs only in invisible characters; actual with cat -A:)"
      cat -A "$_LIB/actual" | sed 's/^/    /'
    fi
  fi
  if [[ $1 != "exit code"* ]]; then
    printf '  (exit code %s)\n' "${rc:-?}"
    if [[ $1 != stderr* && -n ${err:-} ]]; then printf '  stderr:\n'; printf '%s\n' "${err%$'\n'}" | sed 's/^/    /'; fi
  fi
}

# run CMD...: stdout in $out, stderr in $err, exit code in $rc, never fails itself.
run() {
  "$@" >"$_LIB/out" 2>"$_LIB/err" </dev/null
  rc=$?
  _slurp
}

# run_input TEXT CMD...: like run, with TEXT and a newline on stdin.
run_input() {
  local input=$1
  shift
  "$@" >"$_LIB/out" 2>"$_LIB/err" <<<"$input"
  rc=$?
  _slurp
}

# Reads the captures keeping every byte (a trailing newline included).
_slurp() {
  out=$(cat "$_LIB/out" && printf x)
  out=${out%x}
  err=$(cat "$_LIB/err" && printf x)
  err=${err%x}
}

# _expected [TEXT]: TEXT (or stdin) with the one final newline that printed lines end with.
_expected() {
  local text
  if [[ $# -gt 0 ]]; then text=$1; else text=$(cat); fi
  if [[ -n $text ]]; then printf '%s\n' "$text"; fi
}

_compare() { # what expected actual
  if [[ $2 == "$3" ]]; then _pass; else _fail "$1" "$2" "$3"; fi
}

expect_rc() {
  if [[ $rc == "$1" ]]; then _pass; else _fail "exit code $rc, expected $1"; fi
}

expect_out() {
  local e
  e=$(_expected "$@" && printf x)
  _compare "stdout" "${e%x}" "$out"
}

expect_err() {
  local e
  e=$(_expected "$@" && printf x)
  _compare "stderr" "${e%x}" "$err"
}

expect_out_contains() {
  if [[ $out == *"$1"* ]]; then _pass; else _fail "stdout does not contain: $1" "$1" "$out"; fi
}

expect_out_lacks() {
  if [[ $out != *"$1"* ]]; then _pass; else _fail "stdout contains: $1" "" "$out"; fi
}

expect_err_contains() {
  if [[ $err == *"$1"* ]]; then _pass; else _fail "stderr does not contain: $1" "$1" "$err"; fi
}

# expect_out_match ERE: the whole of stdout (without its final newline) matches.
expect_out_match() {
  if [[ ${out%$'\n'} =~ ^$1$ ]]; then _pass; else _fail "stdout does not match /$1/" "$1" "$out"; fi
}

expect_err_match() {
  if [[ ${err%$'\n'} =~ ^$1$ ]]; then _pass; else _fail "stderr does not match /$1/" "$1" "$err"; fi
}

# expect_match WHAT ERE STRING: the whole STRING matches.
expect_match() {
  if [[ $3 =~ ^$2$ ]]; then _pass; else _fail "$1 does not match /$2/" "$2" "$3"; fi
}

# expect_eq WHAT EXPECTED ACTUAL: any two strings, exactly.
expect_eq() { _compare "$1" "$2" "$3"; }

# expect_file_eq FILE [TEXT]: the file's bytes are TEXT plus a newline.
expect_file_eq() {
  local f=$1 e a
  shift
  if [[ ! -f $f ]]; then
    _fail "file $f does not exist"
    return
  fi
  e=$(_expected "$@" && printf x)
  a=$(cat "$f" && printf x)
  _compare "file $f" "${e%x}" "${a%x}"
}

expect_file() {
  if [[ -e $1 ]]; then _pass; else _fail "file $1 does not exist"; fi
}

expect_no_file() {
  if [[ ! -e $1 ]]; then _pass; else _fail "file $1 exists"; fi
}

# expect_true WHAT CMD...: CMD succeeds.
expect_true() {
  local what=$1
  shift
  if "$@"; then _pass; else _fail "$what"; fi
}

# A listing of every path under DIR with a checksum per file, leaving out what a
# read may legitimately touch: the derived index and the lock file.
_listing() {
  (
    cd "$1" || exit
    find . \( -path ./.crm/lock -o -path './.crm/index.sqlite*' \) -prune -o -type d -printf 'dir  %p\n' |
      LC_ALL=C sort
    find . \( -path ./.crm/lock -o -path './.crm/index.sqlite*' \) -prune -o ! -type d -print0 |
      LC_ALL=C sort -z | xargs -0 -r sha256sum
  )
}

_snap_file() { printf '%s/snap.%s' "$_LIB" "$(printf '%s' "$(cd "$1" && pwd)" | sha256sum | cut -c1-16)"; }

# snapshot DIR, then later expect_unchanged DIR: proves nothing was written.
snapshot() { _listing "$1" >"$(_snap_file "$1")"; }

expect_unchanged() {
  local before after
  before=$(cat "$(_snap_file "$1")")
  after=$(_listing "$1")
  _compare "workspace $1 changed" "$before" "$after"
}

# new_ws DIR [init options]: a fresh workspace (region RO unless told), quietly.
new_ws() {
  local dir=$1
  shift
  if [[ $# -eq 0 ]]; then set -- --region RO; fi
  "$CRM" init "$dir" "$@" >/dev/null || {
    echo "lib.sh: crm init $dir failed" >&2
    exit 2
  }
}

# fixture_ws DIR NAME: a workspace holding the records of tests/fixtures/NAME.
fixture_ws() {
  new_ws "$1"
  cp -R "$FIXTURES/$2/." "$1/"
}

# run_tty COLS CMD...: runs CMD on a pseudo-terminal COLS wide (stdin, stdout and
# stderr all the terminal); $out gets everything it printed, CRLF made LF.
# With TTY_INPUT set, that text is typed in once the command starts.
run_tty() {
  local cols=$1
  shift
  if [[ $1 == crm ]]; then set -- "$CRM" "${@:2}"; fi
  python3 - "$cols" "$@" >"$_LIB/out" 2>"$_LIB/err" <<'EOF'
import fcntl, os, pty, select, signal, struct, sys, termios, time
cols, argv = int(sys.argv[1]), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
typed = os.environ.get("TTY_INPUT")
if typed is not None:
    # No echo: what is typed must not land in the output before or after the
    # prompt depending on which process the scheduler runs first.
    attrs = termios.tcgetattr(fd)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    os.write(fd, typed.encode())
buf = b""
deadline = time.monotonic() + 30  # a command waiting for input it never gets must not hang the suite
while True:
    left = deadline - time.monotonic()
    if left <= 0 or not select.select([fd], [], [], left)[0]:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        sys.stdout.buffer.write(buf)
        sys.exit(124)
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(buf.replace(b"\r\n", b"\n"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
  rc=$?
  _slurp
}

finish() {
  _close_test
  local passed=$((_tests - _failed))
  echo "${0##*/}: $passed passed, $_failed failed ($_checks checks)"
  if [[ $_failed -ne 0 ]]; then exit 1; fi
  exit 0
}

# figures TEXT: a figure the suite measured (trials, failures): printed, and added
# to $CRM_FIGURES when set (scripts/test.sh prints that file after a run).
figures() {
  echo "figures: $*"
  if [[ -n ${CRM_FIGURES:-} ]]; then echo "$*" >>"$CRM_FIGURES"; fi
}

# made CMD...: runs a setup command that prints an id (or other text) and prints it;
# the suite stops with exit 2 when it fails, since everything after depends on it.
made() {
  local got
  got=$("$@") || {
    echo "setup failed: $*" >&2
    exit 2
  }
  printf '%s' "$got"
}
