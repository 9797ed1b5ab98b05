#!/usr/bin/env bash
# Builds the Debian package querykind_<version>_amd64.deb: the release binary (the Swift runtime linked in
# statically, see Package.swift's staticSwiftRuntime, so no toolchain is needed where it is installed), the shipped
# model under /usr/share/querykind/Models/, the systemd unit (deploy/querykind.service), bash, zsh and fish
# completions and a man page, both generated from the binary's own --help. Install with
#   sudo apt install ./querykind_<version>_amd64.deb
#
#   scripts/package.sh [--out DIR] [--scratch-path DIR] [--binary PATH] [--fast]
#     --out DIR       where the .deb goes (default: the repository root; the .deb is ignored by git)
#     --scratch-path DIR   swift build's folder for the release build (default .build, as scripts/demo.sh --release)
#     --binary PATH   package this binary as it is instead of building the release one (the package test packages
#                     the debug build this way); its --version says which commit it was built from, if any
#     --fast          gzip at level 1 instead of xz (the package test; a debug binary is 200 MB)
#
# The release build records the commit: Sources/QueryServer/BuildCommit.swift gets `git describe`'s answer for the
# build and its committed text back afterwards, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

out="$PWD" scratch=.build binary="" compression=(-Zxz) root="" saved="" commit_file=Sources/QueryServer/BuildCommit.swift
cleanup() {
    [ -z "$root" ] || rm -rf "$root"
    [ -z "$saved" ] || { cp "$saved" "$commit_file"; rm -f "$saved"; }
}
trap cleanup EXIT
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --scratch-path) scratch="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --fast) compression=(-Zgzip -z1); shift ;;
        *) echo "usage: scripts/package.sh [--out DIR] [--scratch-path DIR] [--binary PATH] [--fast]" >&2; exit 64 ;;
    esac
done
for tool in dpkg-deb strip gzip; do
    command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (apt-get install dpkg-dev binutils)" >&2; exit 69; }
done

if [ -z "$binary" ]; then
    scripts/install-deps.sh
    saved="$(mktemp)"
    cp "$commit_file" "$saved"
    commit="$(git describe --always --dirty --abbrev=12)"
    sed "s/^let buildCommit = .*/let buildCommit = \"$commit\"/" "$saved" > "$commit_file"
    echo "package.sh: building querykind $commit in release: about 25 minutes on 2 cores the first time" >&2
    swift build -c release --product querykind --scratch-path "$scratch"
    binary="$scratch/release/querykind"
fi
# The man page generator comes with swift-argument-parser (a few seconds to build).
swift build --product generate-manual >&2
generate_manual=.build/debug/generate-manual

version="$("$binary" --version | awk 'NR == 1 { print $2 }')"
[[ "$version" =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { echo "package.sh: '$binary --version' gave no version" >&2; exit 1; }
model=Models/querykind-minilm-l3
root="$(mktemp -d)"

install -d "$root/usr/bin" "$root/usr/share/querykind/Models" "$root/lib/systemd/system" \
    "$root/usr/share/man/man1" "$root/usr/share/doc/querykind" "$root/usr/share/bash-completion/completions" \
    "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d" "$root/DEBIAN"
# Debian ships binaries without symbols (dh_strip); Swift needs none of them at run time.
strip --strip-unneeded -o "$root/usr/bin/querykind" "$binary"
chmod 755 "$root/usr/bin/querykind"
cp -r "$model" "$root/usr/share/querykind/Models/"
install -m 644 deploy/querykind.service "$root/lib/systemd/system/querykind.service"

"$binary" --generate-completion-script bash > "$root/usr/share/bash-completion/completions/querykind"
"$binary" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_querykind"
"$binary" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/querykind.fish"
"$generate_manual" "$binary" --date "$(git log -1 --format=%cs)" -o "$root/usr/share/man/man1"
gzip -9n "$root/usr/share/man/man1/querykind.1"

cat > "$root/usr/share/doc/querykind/copyright" <<EOF
querykind $version: labels search queries as keyword, question or statement.
The model under /usr/share/querykind/Models/ has its own card and licence there (README.md).
EOF
for script in postinst prerm postrm; do install -m 755 "deploy/debian/$script" "$root/DEBIAN/$script"; done
find "$root" -type d -exec chmod 755 {} +
find "$root/usr/share" "$root/lib" -type f -exec chmod 644 {} +

sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" \
    deploy/debian/control > "$root/DEBIAN/control"

mkdir -p "$out"
deb="$out/querykind_${version}_amd64.deb"
dpkg-deb --root-owner-group "${compression[@]}" --build "$root" "$deb" >&2
echo "$deb"
