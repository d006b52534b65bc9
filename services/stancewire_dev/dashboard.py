"""The stancewire Grafana dashboard, written as code with ``grafana-foundation-sdk``.

This module is the one source of truth for ``deploy/grafana/dashboards/stancewire.json``:
``python -m stancewire_dev.dashboard`` (``make dashboard``) regenerates the file, and a unit test
fails when the committed JSON drifts from what :func:`build_dashboard` produces. Never edit the
JSON by hand.

Every query reads metrics that the worker itself exports (see ``stancewire.metrics`` and
``stancewire.stream.lag``) plus the process metrics of ``prometheus_client``. The integration
test runs each panel query through a real Prometheus scraping a real worker, so a metric that is
renamed without updating this module fails the suite.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grafana_foundation_sdk.builders import common as gcommon_builders
from grafana_foundation_sdk.builders import dashboard as gdash
from grafana_foundation_sdk.builders import prometheus as gprom
from grafana_foundation_sdk.builders import stat as gstat
from grafana_foundation_sdk.builders import timeseries as gts
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common as gcommon
from grafana_foundation_sdk.models import dashboard as gmodel

from stancewire_dev import PROJECT_ROOT

__all__ = [
    "DASHBOARD_PATH",
    "DASHBOARD_UID",
    "PanelQuery",
    "build_dashboard",
    "iter_panel_queries",
    "render_dashboard",
]

DASHBOARD_UID = "stancewire-overview"
DASHBOARD_PATH = PROJECT_ROOT / "deploy" / "grafana" / "dashboards" / "stancewire.json"

# The Prometheus scrape job of the worker (deploy/prometheus/prometheus.yml).
JOB = 'job="stancewire"'
# Grafana picks the rate window from the scrape interval; the integration test substitutes it.
RATE = "$__rate_interval"
# Panels use whatever Prometheus data source the `datasource` variable selects (the provisioned
# one by default), so the dashboard also imports cleanly into an existing Grafana.
DATASOURCE = gmodel.DataSourceRef(type_val="prometheus", uid="${datasource}")

REF_IDS = "ABCDEFGH"
PANEL_HEIGHT = 8
HALF_WIDTH = 12
STAT_WIDTH = 6


@dataclass(frozen=True)
class PanelQuery:
    """One PromQL expression of one dashboard panel."""

    panel: str
    legend: str
    expr: str


def _query(expr: str, legend: str) -> gprom.Dataquery:
    return gprom.Dataquery().expr(expr).legend_format(legend).range()


def _timeseries(
    title: str,
    description: str,
    unit: str,
    queries: Sequence[gprom.Dataquery],
    width: int = HALF_WIDTH,
) -> gts.Panel:
    panel = (
        gts.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .unit(unit)
        .min(0)
        .height(PANEL_HEIGHT)
        .span(width)
        .fill_opacity(10)
        .legend(
            gcommon_builders.VizLegendOptions()
            .display_mode(gcommon.LegendDisplayMode.LIST)
            .placement(gcommon.LegendPlacement.BOTTOM)
            .show_legend(True)
        )
    )
    # Grafana tells a panel's queries apart by refId (A, B, C, ...).
    for index, query in enumerate(queries):
        panel = panel.with_target(query.ref_id(REF_IDS[index]))
    return panel


def _stat(title: str, description: str, unit: str, query: gprom.Dataquery) -> gstat.Panel:
    return (
        gstat.Panel()
        .title(title)
        .description(description)
        .datasource(DATASOURCE)
        .unit(unit)
        .height(4)
        .span(STAT_WIDTH)
        .graph_mode(gcommon.BigValueGraphMode.AREA)
        .with_target(query.ref_id(REF_IDS[0]))
    )


def _quantiles(histogram: str) -> list[gprom.Dataquery]:
    return [
        _query(
            f"histogram_quantile({q}, sum by (le) (rate({histogram}_bucket[{RATE}])))",
            f"p{round(q * 100)}",
        )
        for q in (0.5, 0.95, 0.99)
    ]


def _overview_row() -> list[gstat.Panel]:
    return [
        _stat(
            "Workers up",
            "Worker processes Prometheus currently scrapes successfully.",
            "none",
            _query(f"sum(up{{{JOB}}})", "workers"),
        ),
        _stat(
            "Articles in flight",
            "Articles taken from Kafka whose enrichment has not finished yet.",
            "none",
            _query("sum(stancewire_articles_in_flight)", "in flight"),
        ),
        _stat(
            "Consumer lag",
            "Unprocessed articles summed over every partition of the input topic (each replica "
            "reports the partitions assigned to it; one counted once while it changes hands).",
            "none",
            _query(
                "sum(max by (topic, partition) (stancewire_consumer_lag_messages))",
                "lag",
            ),
        ),
        _stat(
            "Dead letters (1h)",
            "Articles sent to the dead-letter topic during the last hour.",
            "none",
            _query("sum(increase(stancewire_dead_letters_total[1h]))", "dead letters"),
        ),
    ]


def _throughput_row() -> list[gts.Panel]:
    return [
        _timeseries(
            "Articles in and statements out",
            "Articles consumed and enriched per second, and statements published per second.",
            "cps",
            [
                _query(f"sum(rate(stancewire_articles_consumed_total[{RATE}]))", "articles in"),
                _query(
                    f"sum(rate(stancewire_articles_enriched_total[{RATE}]))", "articles enriched"
                ),
                _query(
                    f"sum(rate(stancewire_statements_published_total[{RATE}]))",
                    "statements out",
                ),
            ],
            width=24,
        ),
        _timeseries(
            "Statements by stance label",
            "Stances published per second, by label (positive, negative, neutral).",
            "cps",
            [
                _query(
                    f"sum by (stance) (rate(stancewire_statement_stances_total[{RATE}]))",
                    "{{stance}}",
                )
            ],
        ),
        _timeseries(
            "Statements by topic",
            "Topic tags published per second, by topic id.",
            "cps",
            [
                _query(
                    f"sum by (topic) (rate(stancewire_statement_topics_total[{RATE}]))",
                    "{{topic}}",
                )
            ],
        ),
    ]


def _errors_and_latency_row() -> list[gts.Panel]:
    return [
        _timeseries(
            "Dead letters by reason",
            "Articles sent to the dead-letter topic per second, by reason.",
            "cps",
            [
                _query(
                    f"sum by (reason) (rate(stancewire_dead_letters_total[{RATE}]))",
                    "{{reason}}",
                )
            ],
            width=24,
        ),
        _timeseries(
            "Enrichment latency",
            "Time to enrich one article: median, 95th and 99th percentile (objective: p95 < 2 s).",
            "s",
            _quantiles("stancewire_enrichment_duration_seconds"),
        ),
        _timeseries(
            "End-to-end lag",
            "From the article's Kafka timestamp to its statements being published.",
            "s",
            _quantiles("stancewire_end_to_end_lag_seconds"),
        ),
    ]


def _consumer_row() -> list[gts.Panel]:
    return [
        _timeseries(
            "Consumer lag per partition (messages)",
            "Log-end offset minus the group's committed offset, per topic partition.",
            "none",
            [
                _query(
                    "max by (topic, partition) (stancewire_consumer_lag_messages)",
                    "{{topic}}/{{partition}}",
                )
            ],
        ),
        _timeseries(
            "Consumer lag per partition (seconds)",
            "Age of the oldest unprocessed article per partition (0 when caught up).",
            "s",
            [
                _query(
                    "max by (topic, partition) (stancewire_consumer_lag_seconds)",
                    "{{topic}}/{{partition}}",
                )
            ],
        ),
        _timeseries(
            "Committed and log-end offsets",
            "Offsets per partition: a committed offset that stands still under lag means a stall.",
            "none",
            [
                _query(
                    "max by (topic, partition) (stancewire_consumer_committed_offset)",
                    "committed {{topic}}/{{partition}}",
                ),
                _query(
                    "max by (topic, partition) (stancewire_consumer_log_end_offset)",
                    "log end {{topic}}/{{partition}}",
                ),
            ],
        ),
        _timeseries(
            "Rebalances",
            "Consumer group rebalances seen by the workers (storms pause consumption).",
            "none",
            [_query(f"sum(increase(stancewire_consumer_rebalances_total[{RATE}]))", "rebalances")],
        ),
    ]


def _dyads_row() -> list[gts.Panel]:
    """The dyad index (stancewire.stream.dyads): its output rate and its table's size."""
    return [
        _timeseries(
            "Dyad updates published",
            "DyadEvents published to the dyad topic per second (one per change of a window).",
            "ops",
            [_query(f"sum(rate(stancewire_dyad_updates_published_total[{RATE}]))", "updates")],
        ),
        _timeseries(
            "Dyad windows held",
            "Unexpired dyad windows in each worker's windowed table.",
            "none",
            [_query(f"stancewire_dyad_table_keys{{{JOB}}}", "{{instance}}")],
        ),
        _timeseries(
            "Dyad index up and restarts",
            "1 while each worker's dyad index child answers; its restarts after an exit; "
            "records its streams skipped and it read back itself (nonzero: Faust dropped "
            "records, docs/operations.md).",
            "none",
            [
                _query(f"stancewire_dyad_index_up{{{JOB}}}", "up {{instance}}"),
                _query(f"sum(increase(stancewire_dyad_index_restarts_total[{RATE}]))", "restarts"),
                _query(
                    f"sum(increase(stancewire_dyad_records_read_back_total[{RATE}]))",
                    "records read back",
                ),
            ],
        ),
    ]


def _process_row() -> list[gts.Panel]:
    return [
        _timeseries(
            "Process CPU",
            "CPU time used by each worker process, in cores.",
            "none",
            [_query(f"rate(process_cpu_seconds_total{{{JOB}}}[{RATE}])", "{{instance}}")],
        ),
        _timeseries(
            "Process memory",
            "Resident memory of each worker process.",
            "bytes",
            [_query(f"process_resident_memory_bytes{{{JOB}}}", "{{instance}}")],
        ),
    ]


def build_dashboard() -> gdash.Dashboard:
    """The dashboard builder: overview, throughput, errors and latency, consumer, dyad index,
    process."""
    builder = (
        gdash.Dashboard("stancewire")
        .uid(DASHBOARD_UID)
        .description("stancewire worker: throughput, quality, latency, consumer lag, resources.")
        .tags(["stancewire", "kafka", "generated"])
        .editable()
        .refresh("30s")
        .time("now-1h", "now")
        .timezone(gcommon.TimeZoneBrowser)
        .tooltip(gmodel.DashboardCursorSync.CROSSHAIR)
        .with_variable(
            gdash.DatasourceVariable("datasource").label("Data source").type("prometheus")
        )
    )
    rows: list[tuple[str, Sequence[gts.Panel | gstat.Panel]]] = [
        ("Overview", _overview_row()),
        ("Throughput", _throughput_row()),
        ("Errors and latency", _errors_and_latency_row()),
        ("Consumer", _consumer_row()),
        ("Dyad index", _dyads_row()),
        ("Process", _process_row()),
    ]
    panel_id = 1
    for title, panels in rows:
        builder = builder.with_row(gdash.Row(title).id(panel_id))
        panel_id += 1
        for panel in panels:
            builder = builder.with_panel(panel.id(panel_id))
            panel_id += 1
    return builder


def render_dashboard() -> str:
    """The dashboard as the JSON text committed to the repository (stable key order)."""
    model = build_dashboard().build()
    return JSONEncoder(sort_keys=True, indent=2).encode(model) + "\n"


def iter_panel_queries(model: Mapping[str, Any]) -> Iterator[PanelQuery]:
    """Every PromQL expression of every panel of a dashboard JSON model, rows included."""
    for panel in model.get("panels", []):
        for target in panel.get("targets", []) or []:
            yield PanelQuery(
                panel=str(panel.get("title", "")),
                legend=str(target.get("legendFormat", "")),
                expr=str(target["expr"]),
            )
        yield from iter_panel_queries({"panels": panel.get("panels", []) or []})


def main(argv: Sequence[str] | None = None) -> None:
    """Write the dashboard JSON (default: the committed file under deploy/grafana/)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("output", nargs="?", type=Path, default=DASHBOARD_PATH)
    args = parser.parse_args(argv)
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_dashboard(), encoding="utf-8")
    panels = sum(1 for _ in iter_panel_queries(json.loads(output.read_text(encoding="utf-8"))))
    print(f"wrote {output} ({panels} panel queries)")


if __name__ == "__main__":
    main()
