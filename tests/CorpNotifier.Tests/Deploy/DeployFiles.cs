using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CorpNotifier.Tests.Deploy;

/// <summary>The files under <c>deploy/</c>, read the way the tools that use them read them.</summary>
public static class DeployFiles
{
    public static string PathTo(params string[] parts) => Repository.PathTo(["deploy", .. parts]);

    /// <summary>Every YAML file under deploy/: compose.yaml and the Kubernetes manifests.</summary>
    public static IReadOnlyList<string> YamlFiles() =>
        [.. Directory.EnumerateFiles(PathTo(), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>The documents of a YAML file, with merge keys (<c>&lt;&lt;: *anchor</c>) resolved as Docker Compose does.</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return [.. stream.Documents.Select(d => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{path}: a document that is not a mapping"))];
    }

    /// <summary>The Kubernetes resources of deploy/kubernetes/, each with the file it is in.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Resource)> KubernetesResources() =>
        [.. Directory.EnumerateFiles(PathTo("kubernetes"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Documents(f).Select(d => (Path.GetFileName(f), d)))];

    /// <summary>The one resource of a kind (Deployment, Service…) in deploy/kubernetes/.</summary>
    public static YamlMappingNode Kubernetes(string kind)
    {
        var found = KubernetesResources().Where(r => r.Resource.Text("kind") == kind).ToList();
        found.Count.ShouldBe(1, $"deploy/kubernetes/ should hold exactly one {kind}");
        return found[0].Resource;
    }

    public static YamlMappingNode Compose() => Documents(PathTo("compose.yaml")).Single();

    /// <summary>The node at a path of mapping keys, or null where one is missing.</summary>
    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    /// <summary>The items of the sequence at a path; none where it is missing.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    /// <summary>A mapping of scalars (labels, data, environment) as a dictionary; a Compose list of KEY=VALUE too.</summary>
    public static IReadOnlyDictionary<string, string> Pairs(this YamlNode node, params string[] path) => node.Get(path) switch
    {
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            c => ((YamlScalarNode)c.Key).Value!,
            c => (c.Value as YamlScalarNode)?.Value ?? ""),
        YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value!.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
        _ => new Dictionary<string, string>(),
    };

    /// <summary>Every label of <paramref name="selector"/> is on <paramref name="labels"/>.</summary>
    public static bool Selects(this IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}

/// <summary>
/// The configuration keys the service reads: the keys of README's "Configuration reference"
/// (where <c>A:B</c> / <c>C</c> stands for <c>A:B</c> and <c>A:C</c>, and <c>{n}</c>, <c>{Kind}</c>…
/// stand for any one segment) and those of appsettings.json. An environment variable names a
/// key with <c>__</c> for <c>:</c>; keys are case-insensitive.
/// </summary>
public sealed class ConfigurationKeys
{
    private readonly IReadOnlyList<Regex> _keys;

    private ConfigurationKeys(IEnumerable<string> keys)
    {
        _keys = [.. keys.Distinct(StringComparer.OrdinalIgnoreCase).Select(k => new Regex(
            "^" + string.Join("[^:]+", Regex.Split(k, @"\{[^}]+\}").Select(Regex.Escape)) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))];
    }

    public int Count => _keys.Count;

    public static ConfigurationKeys Load() => new([.. FromReadme(), .. FromAppSettings()]);

    public bool Knows(string environmentVariable)
    {
        var key = environmentVariable.Replace("__", ":", StringComparison.Ordinal);
        return _keys.Any(k => k.IsMatch(key));
    }

    private static IEnumerable<string> FromReadme()
    {
        var readme = File.ReadAllText(Repository.PathTo("README.md"));
        var start = readme.IndexOf("\n## Configuration reference", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "README.md has no \"## Configuration reference\" section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var rows = readme[start..(end < 0 ? readme.Length : end)].Split('\n')
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal));
        foreach (var row in rows)
        {
            var names = Regex.Matches(row.Split('|')[1], "`([^`]+)`").Select(m => m.Groups[1].Value).ToList();
            var section = names[0][..(names[0].LastIndexOf(':') + 1)];
            foreach (var name in names)
            {
                yield return name.Contains(':', StringComparison.Ordinal) ? name : section + name;
            }
        }
    }

    private static IEnumerable<string> FromAppSettings()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.PathTo("src", "CorpNotifier", "appsettings.json")));
        return Flatten(json.RootElement, "").ToList();

        static IEnumerable<string> Flatten(JsonElement element, string key) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Flatten(p.Value, key.Length == 0 ? p.Name : $"{key}:{p.Name}")),
            JsonValueKind.Array => element.EnumerateArray().SelectMany((e, i) => Flatten(e, $"{key}:{i}")),
            _ => [key],
        };
    }
}
