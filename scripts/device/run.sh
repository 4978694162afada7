#!/usr/bin/env bash
# The device pack's one command (scripts/device/README.md): unpacks Node, Dawn, the bundled bench:gpu and the
# Vulkan loader into a private folder, finds the NVIDIA Vulkan driver, and runs the benchmark. Needs no Node, npm
# or network. Arguments go to bench:gpu (--quick, --batches N, ...). Writes gpu.json and run.log to $OUT when
# that is set, else into this folder.
set -euo pipefail

pack=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/lab-device-pack.XXXXXX")
out=${OUT:-$pack}
mkdir -p "$out"
log() { echo "[run.sh] $*"; }

# xz where it is installed, else Python's lzma (the GPU image always has python3).
unxz_to() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1" >"$2"
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}

log "unpacking into $work"
unxz_to "$pack/node.xz" "$work/node"
chmod +x "$work/node"
unxz_to "$pack/dawn.node.xz" "$work/dawn.node"
unxz_to "$pack/bench-gpu.mjs.xz" "$work/bench-gpu.mjs"
cp "$pack/torch_bench.py" "$work/"

# Debian's Vulkan loader, always, in a private folder (never /). NVIDIA's Vulkan driver (libGLX_nvidia) links to
# libglvnd's libGLdispatch and to libXext (and so libX11 and its needs): each of those is unpacked only where the
# system lacks it (PACK_UNPACK_ALL=1 unpacks them all).
ldcache=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
have_lib() { grep -q "^[[:space:]]*$1 " <<<"$ldcache"; }
soname_of() {
  case "$1" in
    libglvnd0) echo libGLdispatch.so.0 ;; libxext6) echo libXext.so.6 ;; libx11-6) echo libX11.so.6 ;;
    libxcb1) echo libxcb.so.1 ;; libxau6) echo libXau.so.6 ;; libxdmcp6) echo libXdmcp.so.6 ;;
    libbsd0) echo libbsd.so.0 ;; libmd0) echo libmd.so.0 ;; *) echo "" ;;
  esac
}
for deb in "$pack"/debs/*.deb; do
  name=$(basename "$deb" | cut -d_ -f1)
  lib=$(soname_of "$name")
  if [ -n "$lib" ] && [ -z "${PACK_UNPACK_ALL:-}" ] && have_lib "$lib"; then continue; fi
  dpkg -x "$deb" "$work/sysroot"
  log "unpacked $name"
done
libs="$work/sysroot/usr/lib/x86_64-linux-gnu"
[ -e "$libs/libvulkan.so.1" ] || { log "the unpacked Vulkan loader is missing from $libs"; exit 1; }
# NVIDIA's driver libraries, where a container mounts them.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && libs="$libs:$d"
done
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

if [ -n "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  log "Vulkan driver as given: ${VK_DRIVER_FILES:-$VK_ICD_FILENAMES}"
else
  icd=""
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
    /etc/vulkan/icd.d/nvidia_icd.json /usr/local/share/vulkan/icd.d/nvidia_icd.json \
    /usr/local/nvidia/etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$f" ]; then icd=$f && break; fi
  done
  if [ -n "$icd" ]; then
    log "NVIDIA Vulkan driver: $icd"
    export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd
  else
    log "no NVIDIA Vulkan driver (nvidia_icd.json) found in /usr/local/nvidia/share, /usr/share, /etc or"
    log "/usr/local/share vulkan/icd.d: the loader searches its default folders, and without a GPU the"
    log "benchmark falls back to SwiftShader if installed. Set VK_ICD_FILENAMES to the driver's JSON to choose."
  fi
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

log "node $("$work/node" --version); results to $out"
cd "$work"
set +e
"$work/node" "$work/bench-gpu.mjs" --out "$out/gpu.json" "$@" 2>&1 | tee "$out/run.log"
rc=${PIPESTATUS[0]}
set -e
[ "${KEEP_WORK:-}" ] || rm -rf "$work"
exit "$rc"
