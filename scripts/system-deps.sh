#!/usr/bin/env bash
# What `npm test` needs from Debian besides Node, installed where missing: first thing `npm test` and `.ci/run` do.
# It installs when it may (root, or sudo without a password); otherwise it stops at once with the command to run.
set -euo pipefail
# ldconfig lives in /sbin, which a normal user's PATH on Debian leaves out.
export PATH="$PATH:/usr/sbin:/sbin"

# Chromium for the end-to-end tests; the Vulkan loader for WebGPU in Node (Dawn), which finds Chromium's
# SwiftShader driver on a machine without a GPU.
browser=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || browser+=(chromium)
ldconfig -p | grep 'libvulkan\.so\.1 ' >/dev/null || browser+=(libvulkan1)
# Debian's PyTorch, NumPy and Dask for the cluster runner (cluster/run_job.py) and its tests, without their
# recommends (libtorch-dev, build-essential, pandas: minutes of install the runner does not use).
python=()
for module in torch distributed numpy; do
  /usr/bin/python3 -c "import importlib.util, sys; sys.exit(not importlib.util.find_spec('$module'))" 2>/dev/null ||
    python+=("python3-$module")
done
# OpenBLAS for PyTorch's products: without recommends it gets the reference BLAS, several times slower.
ldconfig -p | grep 'libopenblas\.so\.0 ' >/dev/null || python+=(libopenblas0-pthread)

[ ${#browser[@]} -eq 0 ] && [ ${#python[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  sudo="sudo"
  commands="$sudo apt-get update"
  [ ${#browser[@]} -eq 0 ] || commands+=" && $sudo apt-get install -y ${browser[*]}"
  [ ${#python[@]} -eq 0 ] || commands+=" && $sudo apt-get install -y --no-install-recommends ${python[*]}"
  echo "The tests need Debian packages that are missing here: ${browser[*]} ${python[*]}." >&2
  echo "Install them (root or sudo), then run npm test again:" >&2
  echo "  $commands" >&2
  exit 1
fi

echo "Installing ${browser[*]} ${python[*]} from Debian's apt…"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
[ ${#browser[@]} -eq 0 ] || $sudo apt-get install -y -qq "${browser[@]}" >/dev/null
[ ${#python[@]} -eq 0 ] || $sudo apt-get install -y -qq --no-install-recommends "${python[@]}" >/dev/null
