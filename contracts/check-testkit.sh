#!/usr/bin/env bash
# Checks the producers' test kit as a producer gets it: packs CorpNotifier.Contracts,
# CorpNotifier.Engine (the service's assembly) and CorpNotifier.Testing into a temporary feed, makes a fresh test project from
# CorpNotifier.Testing/sample/ (the test its README shows) that references those packages only
# (MassTransit, xunit and the engine's dependencies come from the machine's usual feed), and runs it.
#   contracts/check-testkit.sh [configuration]     (Debug when not given)
set -euo pipefail

configuration=${1:-Debug}
root=$(cd "$(dirname "$0")/.." && pwd)
kit="$root/contracts/CorpNotifier.Testing"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The README shows sample/ProducerTests.cs: the code block after its marker must be the file as it is.
shown=$(awk '/<!-- sample\/ProducerTests.cs -->/ { marker = 1; next }
             marker && /^```csharp$/ { code = 1; next }
             code && /^```$/ { exit }
             code { print }' "$kit/README.md")
if [[ "$shown" != "$(cat "$kit/sample/ProducerTests.cs")" ]]; then
  echo "contracts/CorpNotifier.Testing/README.md does not show sample/ProducerTests.cs as it is:" >&2
  diff <(printf '%s\n' "$shown") "$kit/sample/ProducerTests.cs" >&2 || true
  exit 1
fi

echo "== packing the contracts, the engine and the test kit"
dotnet pack "$root/contracts/CorpNotifier.Contracts" -c "$configuration" -o "$work/feed" --nologo -v quiet
dotnet pack "$root/src/CorpNotifier" -c "$configuration" -o "$work/feed" --nologo -v quiet
dotnet pack "$kit" -c "$configuration" -o "$work/feed" --nologo -v quiet
version=$(find "$work/feed" -name 'CorpNotifier.Testing.*.nupkg' -printf '%f\n' | sed -n 's/^CorpNotifier\.Testing\.\(.*\)\.nupkg$/\1/p')
for package in CorpNotifier.Contracts CorpNotifier.Engine; do
  [[ -f "$work/feed/$package.$version.nupkg" ]] || { echo "no $package $version package" >&2; exit 1; }
done

# The engine brings MassTransit into a producer's tests: its dependency is bounded to 8.x (9 is
# commercially licensed), so the producer's own `dotnet add package MassTransit` cannot take 9.x beside it.
nuspec=$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("CorpNotifier.Engine.nuspec").decode())' "$work/feed/CorpNotifier.Engine.$version.nupkg")
for package in MassTransit MassTransit.RabbitMQ; do
  if ! grep -Eq "<dependency id=\"$package\" version=\"\[8\.[0-9.]+, 9\.0\.0\)\"" <<<"$nuspec"; then
    echo "CorpNotifier.Engine's dependency on $package is not bounded to 8.x:" >&2
    grep "id=\"$package\"" <<<"$nuspec" >&2 || echo "(no dependency on $package)" >&2
    exit 1
  fi
done

# Packages are restored into a folder of this run, so a package of the same version restored
# earlier is never used instead of the one just packed. The machine's package cache serves the
# rest (MassTransit, xunit, the engine's dependencies) unless it holds a CorpNotifier package of this version itself.
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
fallback=""
if [[ -d "$cache" && ! -e "$cache/corpnotifier.contracts/$version" && ! -e "$cache/corpnotifier.engine/$version" && ! -e "$cache/corpnotifier.testing/$version" ]]; then
  fallback="<fallbackPackageFolders><add key=\"machine\" value=\"$cache\" /></fallbackPackageFolders>"
fi

mkdir "$work/project"
cp "$kit/sample/Producer.Tests.csproj" "$kit/sample/ProducerTests.cs" "$work/project/"
cat >"$work/project/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources><add key="corp-notifier-packed" value="$work/feed" /></packageSources>
  $fallback
</configuration>
CONFIG

echo "== the README's producer test, on CorpNotifier.Contracts and CorpNotifier.Testing $version"
dotnet test "$work/project" -c "$configuration" -p:CorpNotifierVersion="$version" --nologo
