using System.Text.Json;
using System.Text.RegularExpressions;
using CorpNotifier.Tests.Hosting;
using YamlDotNet.RepresentationModel;

namespace CorpNotifier.Tests.Deploy;

/// <summary>
/// The Grafana dashboard (deploy/grafana/corp-notifier.json) and the Prometheus alerting rules
/// (deploy/prometheus/alerts.yaml) are well formed, and every series they query is one the
/// service really serves on <c>GET /metrics</c> (RabbitMQ's own <c>rabbitmq_*</c> series aside).
/// </summary>
[Collection(PrometheusScrapes.Name)]
public sealed partial class MonitoringFilesTests(ScrapedHost scraped) : IClassFixture<ScrapedHost>
{
    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    private static JsonElement Dashboard =>
        JsonDocument.Parse(File.ReadAllText(DeployFiles.PathTo("grafana", "corp-notifier.json"))).RootElement;

    private static IReadOnlyList<YamlMappingNode> Rules =>
        [.. DeployFiles.Documents(DeployFiles.PathTo("prometheus", "alerts.yaml")).Single()
            .Items("groups").SelectMany(g => g.Items("rules")).Cast<YamlMappingNode>()];

    [Fact]
    public void The_dashboard_has_a_prometheus_data_source_and_panels_with_titles_and_queries()
    {
        var dashboard = Dashboard;
        dashboard.GetProperty("schemaVersion").GetInt32().ShouldBeGreaterThanOrEqualTo(36);
        dashboard.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ShouldContain(v => v.GetProperty("type").GetString() == "datasource" && v.GetProperty("query").GetString() == "prometheus");
        var panels = dashboard.GetProperty("panels").EnumerateArray().ToList();
        panels.ShouldNotBeEmpty();
        foreach (var panel in panels)
        {
            panel.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            targets.ShouldNotBeEmpty(panel.GetProperty("title").GetString());
            targets.ShouldAllBe(t => !string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()));
            panel.GetProperty("datasource").GetProperty("uid").GetString().ShouldBe("${DS_PROMETHEUS}");
        }

        var titles = panels.Select(p => p.GetProperty("title").GetString()!).ToList();
        titles.ShouldContain(t => t.Contains("lateness", StringComparison.OrdinalIgnoreCase));
        DashboardQueries().ShouldContain(e => e.Contains("histogram_quantile(0.99", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_alerting_rule_has_an_expression_a_duration_a_severity_and_a_summary()
    {
        var rules = Rules;
        rules.ShouldNotBeEmpty();
        foreach (var rule in rules)
        {
            var name = rule.Text("alert");
            name.ShouldNotBeNullOrWhiteSpace();
            rule.Text("expr").ShouldNotBeNullOrWhiteSpace(name);
            rule.Text("for").ShouldNotBeNull(name).ShouldMatch(@"^\d+[smhd]$");
            rule.Text("labels", "severity").ShouldBeOneOf("critical", "warning", "info");
            rule.Text("annotations", "summary").ShouldNotBeNullOrWhiteSpace(name);
        }

        rules.Select(r => r.Text("alert")).ShouldBeUnique();
        rules.ShouldContain(r => r.Text("expr")!.Contains("corp_notifier_oldest_due_letter_age_seconds", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_series_the_dashboard_and_the_alerts_query_is_served_on_metrics()
    {
        var used = MetricNames(DashboardQueries()).Concat(MetricNames(Rules.Select(r => r.Text("expr")!)))
            .Where(n => !n.StartsWith("rabbitmq_", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        used.ShouldContain("corp_notifier_due_letters");
        used.ShouldContain("corp_notifier_letters_lateness_seconds_bucket");

        var served = scraped.Scrape.Names;
        used.Where(n => !served.Contains(n)).Order(StringComparer.Ordinal)
            .ShouldBeEmpty($"served: {string.Join(", ", served.Order(StringComparer.Ordinal))}");
    }

    [Fact]
    public void Metric_names_are_read_from_promql_without_functions_labels_or_durations()
    {
        MetricNames(["histogram_quantile(0.99, sum by (le, kind) (rate(a_bucket{instance=~\"$instance\",x=\"y\"}[$__rate_interval])))"])
            .ShouldBe(["a_bucket"]);
        MetricNames(["label_values(d_total, instance)"]).ShouldBe(["d_total"]);
        MetricNames(["sum(rate(b_total{outcome=\"failed\"}[15m])) / clamp_min(sum(rate(c_total[15m])), 1e-9) > 0.05"])
            .ShouldBe(["b_total", "c_total"]);
    }

    /// <summary>The queries of the dashboard: its panels' targets and its variables'.</summary>
    private static IEnumerable<string> DashboardQueries()
    {
        var dashboard = Dashboard;
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return target.GetProperty("expr").GetString()!;
            }
        }

        foreach (var variable in dashboard.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.TryGetProperty("definition", out var definition))
            {
                yield return definition.GetString()!;
            }
        }
    }

    /// <summary>
    /// The metric names in PromQL expressions: identifiers that are not functions (followed by a
    /// parenthesis), label matchers (inside braces), grouping labels (<c>by (…)</c>), durations,
    /// numbers, Grafana variables or PromQL keywords.
    /// </summary>
    public static IEnumerable<string> MetricNames(IEnumerable<string> expressions)
    {
        foreach (var expression in expressions)
        {
            var text = LabelValues().Replace(expression, "$1"); // a variable's label_values(metric, label)
            text = Braces().Replace(text, " ");
            text = Grouping().Replace(text, " ");
            text = Ranges().Replace(text, " ");
            text = GrafanaVariable().Replace(text, " ");
            text = Text().Replace(text, " ");
            foreach (Match match in Identifier().Matches(text))
            {
                var name = match.Groups["name"].Value;
                if (!match.Groups["call"].Success && !PromQlWords.Contains(name.ToLowerInvariant()))
                {
                    yield return name;
                }
            }
        }
    }

    [GeneratedRegex(@"label_values\(([^,)]+)(,[^)]*)?\)")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Text();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
