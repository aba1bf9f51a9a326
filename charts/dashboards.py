#!/usr/bin/env python3
"""Writes the Grafana dashboards of the SIP platform to charts/sip-platform/dashboards/*.json.

The JSON files are checked in (the chart embeds them as ConfigMaps for the Grafana sidecar); this script is how they
are made, so change it and run it rather than editing the JSON:   python3 charts/dashboards.py
Every panel query is evaluated against a real Prometheus scraping the local platform by
tests/Sip.EndToEnd.Tests/MonitoringTests.cs, so a misspelt metric fails a test.
Conventions: datasource is the ${datasource} variable; job = the deployable (PodMonitor: app.kubernetes.io/name);
service = the messaging name on sip_* metrics; rates over $__rate_interval.
"""
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sip-platform", "dashboards")
DS = {"type": "prometheus", "uid": "${datasource}"}
DEPLOYABLES = ["gateway", "web", "consent", "case", "meeting-scheduling", "notification", "statistics"]
# Deployables with a database, and those that consume messages (their inbox counters exist from start).
WITH_DATABASE = ["consent", "case", "meeting-scheduling", "notification", "statistics"]
CONSUMING = ["case", "meeting-scheduling", "notification", "statistics"]
RI = "$__rate_interval"


class Board:
    def __init__(self, uid, title, description, tags, variables=()):
        self.uid, self.title, self.description, self.tags = uid, title, description, tags
        self.variables = list(variables)
        self.panels, self.x, self.y, self.row_h, self.next_id = [], 0, 0, 0, 1

    def row(self, title):
        self.newline()
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False, "panels": [],
                            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}})
        self.y += 1

    def newline(self):
        if self.x:
            self.y += self.row_h
            self.x, self.row_h = 0, 0

    def panel(self, title, targets, kind="timeseries", w=12, h=8, unit=None, description=None, stacked=False, thresholds=None):
        if self.x + w > 24:
            self.newline()
        fields = {"defaults": {"unit": unit or "short"}, "overrides": []}
        if thresholds:
            fields["defaults"]["thresholds"] = {"mode": "absolute", "steps": [{"color": "green", "value": None}] +
                                                [{"color": c, "value": v} for v, c in thresholds]}
        if kind == "timeseries":
            fields["defaults"]["custom"] = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
                                            "stacking": {"mode": "normal" if stacked else "none", "group": "A"}}
        p = {"type": kind, "title": title, "id": self._id(), "datasource": DS,
             "gridPos": {"x": self.x, "y": self.y, "w": w, "h": h}, "fieldConfig": fields,
             "targets": [{"datasource": DS, "refId": chr(65 + i), "expr": expr, "legendFormat": legend, "range": True}
                         for i, (expr, legend) in enumerate(targets)]}
        if kind == "timeseries":
            p["options"] = {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                            "tooltip": {"mode": "multi", "sort": "desc"}}
        elif kind == "stat":
            p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                            "colorMode": "background", "graphMode": "none", "textMode": "value_and_name"}
        if description:
            p["description"] = description
        self.panels.append(p)
        self.x += w
        self.row_h = max(self.row_h, h)

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    def json(self):
        templating = [{"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
                       "current": {}, "hide": 0, "refresh": 1, "options": [], "includeAll": False, "multi": False}]
        for name, label, query in self.variables:
            templating.append({"name": name, "label": label, "type": "query", "datasource": DS,
                               "query": {"query": query, "refId": "var"}, "definition": query,
                               "refresh": 2, "includeAll": True, "allValue": ".*", "multi": True, "sort": 1,
                               "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "hide": 0, "options": []})
        return {"uid": self.uid, "title": self.title, "description": self.description, "tags": ["sip-platform"] + self.tags,
                "editable": True, "graphTooltip": 1, "schemaVersion": 39, "version": 1, "timezone": "browser",
                "time": {"from": "now-3h", "to": "now"}, "refresh": "30s",
                "templating": {"list": templating}, "annotations": {"list": []}, "links": [
                    {"title": "SIP dashboards", "type": "dashboards", "tags": ["sip-platform"], "asDropdown": True}],
                "panels": self.panels}


def red(b, job, routes=True):
    sel = f'job="{job}"'
    b.row("Requests (rate, errors, duration)")
    b.panel("Requests/s by status", [(f'sum by (http_response_status_code) (rate(http_server_request_duration_seconds_count{{{sel}}}[{RI}]))', "{{http_response_status_code}}")],
            w=8, unit="reqps", stacked=True)
    b.panel("Server errors (5xx) ratio", [(f'(sum(rate(http_server_request_duration_seconds_count{{{sel}, http_response_status_code=~"5.."}}[{RI}])) or vector(0))'
                                          f' / sum(rate(http_server_request_duration_seconds_count{{{sel}}}[{RI}]))', "5xx ratio")],
            w=8, unit="percentunit", description="No 5xx series is 0 %, not missing data.")
    b.panel("In-flight requests", [(f'sum(http_server_active_requests{{{sel}}})', "in flight")], w=8)
    if routes:
        b.panel("Requests/s by route", [(f'sum by (http_route) (rate(http_server_request_duration_seconds_count{{{sel}}}[{RI}]))', "{{http_route}}")],
                w=24, unit="reqps")
    b.panel("p50 by route", [(f'histogram_quantile(0.5, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{{{sel}}}[{RI}])))', "{{http_route}}")],
            unit="s")
    b.panel("p99 by route", [(f'histogram_quantile(0.99, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{{{sel}}}[{RI}])))', "{{http_route}}")],
            unit="s")


def overview():
    b = Board("sip-overview", "SIP platform overview", "The gateway: what integrators and staff see. Requests, errors, latency per route, rate limiting, and which deployables are up.", ["overview"])
    g = 'job="gateway"'
    b.row("Health")
    b.panel("Deployables up", [(f'up{{job=~"{"|".join(DEPLOYABLES)}"}}', "{{job}} {{instance}}")], kind="stat", w=24, h=4,
            thresholds=[(1, "green")], description="1 = Prometheus scrapes /metrics. Red (0) pages after 2 minutes (SipServiceDown).")
    b.row("Gateway traffic")
    b.panel("Requests/s", [(f'sum(rate(http_server_request_duration_seconds_count{{{g}}}[{RI}]))', "requests/s")], w=8, unit="reqps")
    b.panel("Requests/s by status", [(f'sum by (http_response_status_code) (rate(http_server_request_duration_seconds_count{{{g}}}[{RI}]))', "{{http_response_status_code}}")],
            w=8, unit="reqps", stacked=True)
    b.panel("Server error (5xx) ratio", [(f'(sum(rate(http_server_request_duration_seconds_count{{{g}, http_response_status_code=~"5.."}}[{RI}])) or vector(0))'
                                         f' / sum(rate(http_server_request_duration_seconds_count{{{g}}}[{RI}]))', "5xx ratio")],
            w=8, unit="percentunit", thresholds=[(0.05, "red")], description="Pages above 5 % for 5 minutes (SipGatewayErrorRatioHigh).")
    b.panel("Requests/s by route", [(f'sum by (http_route) (rate(http_server_request_duration_seconds_count{{{g}}}[{RI}]))', "{{http_route}}")], w=24, unit="reqps")
    b.row("Latency per route")
    b.panel("p50 by route", [(f'histogram_quantile(0.5, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{{{g}}}[{RI}])))', "{{http_route}}")], unit="s")
    b.panel("p99 by route", [(f'histogram_quantile(0.99, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{{{g}}}[{RI}])))', "{{http_route}}")], unit="s",
            description="API p99 above 2 s for 10 minutes pages (SipGatewayLatencyHigh).")
    b.row("Rate limiting (429)")
    b.panel("Rate limiter decisions/s", [(f'sum by (aspnetcore_rate_limiting_policy, aspnetcore_rate_limiting_result) (rate(aspnetcore_rate_limiting_requests_total{{{g}}}[{RI}]))',
                                          "{{aspnetcore_rate_limiting_policy}} {{aspnetcore_rate_limiting_result}}")], unit="reqps",
            description="'rejected' is a 429 to the caller (per-tenant limit).")
    b.panel("429 responses/s by route", [(f'sum by (http_route) (rate(http_server_request_duration_seconds_count{{{g}, http_response_status_code="429"}}[{RI}]))', "{{http_route}}")],
            unit="reqps", description="Empty while nobody is limited.")
    b.row("Upstreams")
    b.panel("Gateway → service calls/s by status", [(f'sum by (server_address, http_response_status_code) (rate(http_client_request_duration_seconds_count{{{g}}}[{RI}]))',
                                                     "{{server_address}} {{http_response_status_code}}")], unit="reqps")
    b.panel("Gateway → service p99", [(f'histogram_quantile(0.99, sum by (le, server_address) (rate(http_client_request_duration_seconds_bucket{{{g}}}[{RI}])))', "{{server_address}}")], unit="s")
    return b


def service(job):
    b = Board(f"sip-service-{job}", f"SIP service: {job}", f"RED (rate, errors, duration) of {job}, and what it depends on.", ["service"])
    red(b, job)
    if job == "gateway":
        b.row("Proxied calls")
        b.panel("Calls/s to services", [(f'sum by (server_address) (rate(http_client_request_duration_seconds_count{{job="gateway"}}[{RI}]))', "{{server_address}}")], unit="reqps")
        b.panel("p99 of calls to services", [(f'histogram_quantile(0.99, sum by (le, server_address) (rate(http_client_request_duration_seconds_bucket{{job="gateway"}}[{RI}])))', "{{server_address}}")], unit="s")
    if job in WITH_DATABASE:
        b.row("Database")
        b.panel("Database operations/s", [(f'sum(rate(db_client_operation_duration_seconds_count{{job="{job}"}}[{RI}]))', "operations/s")], w=8, unit="ops")
        b.panel("Database operation p99", [(f'histogram_quantile(0.99, sum by (le) (rate(db_client_operation_duration_seconds_bucket{{job="{job}"}}[{RI}])))', "p99")], w=8, unit="s")
        b.panel("Connection pool", [(f'sum by (db_client_connection_state) (db_client_connection_count{{job="{job}"}})', "{{db_client_connection_state}}"),
                                    (f'max(db_client_connection_max{{job="{job}"}})', "max")], w=8)
        b.row("Messaging")
        b.panel("Outbox lag", [(f'max(sip_outbox_lag_seconds{{service="{job}"}})', "oldest unsent")], w=8, unit="s")
        b.panel("Outbox unsent / failing", [(f'max(sip_outbox_unsent{{service="{job}"}})', "unsent"), (f'max(sip_outbox_failing{{service="{job}"}})', "failing")], w=8)
        b.panel("Events published/s", [(f'sum(rate(sip_outbox_published_total{{service="{job}"}}[{RI}]))', "published")], w=8, unit="ops")
    if job in CONSUMING:
        b.panel("Messages consumed/s by consumer", [(f'sum by (consumer) (rate(sip_inbox_processed_total{{service="{job}"}}[{RI}]))', "{{consumer}}")], unit="ops")
        b.panel("Consumer faults and duplicates/s", [(f'sum by (consumer) (rate(sip_inbox_faults_total{{service="{job}"}}[{RI}]))', "{{consumer}} faults"),
                                                     (f'sum by (consumer) (rate(sip_inbox_duplicates_total{{service="{job}"}}[{RI}]))', "{{consumer}} duplicates")], unit="ops")
    if job == "statistics":
        b.row("Statistics")
        b.panel("Facts counted/s by fact", [(f'sum by (fact) (rate(sip_statistics_facts_total{{job="statistics"}}[{RI}]))', "{{fact}}")], unit="ops",
                description="Pseudonymous facts added to the cube. Zero for a fact that case or meeting scheduling publishes all day: look at their outbox.")
        b.panel("Tables served/s by measure and format", [(f'sum by (measure, format) (rate(sip_statistics_tables_total{{job="statistics"}}[{RI}]))', "{{measure}} {{format}}")],
                unit="reqps")
        b.panel("Table query p99 by measure", [(f'histogram_quantile(0.99, sum by (le, measure) (rate(sip_statistics_query_duration_milliseconds_bucket{{job="statistics"}}[{RI}])))',
                                                "{{measure}}")], unit="ms",
                description="Read and suppression of one table. Months kept from earlier queries are served as they are; a high p99 with many months "
                            "summed from the cube (panel beside) is expected after a deployment, a threshold change or a rebuild.")
        b.panel("Months of tables: kept or summed from the cube", [(f'sum by (source) (rate(sip_statistics_table_months_total{{job="statistics"}}[{RI}]))', "{{source}}")],
                unit="ops", stacked=True,
                description="kept: served as published before (the month's cube version unchanged); cube: summed again because a fact for the month arrived.")
    return b


def messaging():
    b = Board("sip-messaging", "SIP messaging", "Outbox, broker queues, consumers and timers: are events leaving, arriving and being processed?", ["messaging"])
    b.row("Outbox (events committed, not yet at the broker)")
    b.panel("Outbox lag by service", [(f'max by (service) (sip_outbox_lag_seconds)', "{{service}}")], w=8, unit="s", thresholds=[(60, "red")],
            description="Age of the oldest unsent row. Pages above 60 s for 5 minutes (SipOutboxLagHigh).")
    b.panel("Unsent rows by service", [(f'max by (service) (sip_outbox_unsent)', "{{service}}")], w=8)
    b.panel("Failing rows by service", [(f'max by (service) (sip_outbox_failing)', "{{service}}")], w=8,
            description="Unsent rows whose last publish failed, retried with back-off (SipOutboxPublishFailing). Parked rows are not counted here.")
    b.panel("Parked rows by service", [(f'max by (service) (sip_outbox_parked)', "{{service}}")], w=8, thresholds=[(1, "red")],
            description="Rows given up on after 10 failures of their own; published again only when an operator replays them (SipOutboxRowsParked, docs/operations.md).")
    b.panel("Broker connected by service", [(f'min by (service) (sip_broker_connected)', "{{service}}")], w=8,
            description="1 while the service's bus is connected to RabbitMQ with its consumers ready. The service stays ready without it (SipBrokerDisconnected).")
    b.panel("Published/s by service", [(f'sum by (service) (rate(sip_outbox_published_total[{RI}]))', "{{service}}")], unit="ops")
    b.panel("Publish failures/s by service", [(f'sum by (service) (rate(sip_outbox_publish_failures_total[{RI}]))', "{{service}}")], unit="ops")
    b.row("Queues (consumer lag)")
    b.panel("Ready messages by queue", [('sum by (queue) (rabbitmq_detailed_queue_messages_ready{queue!~".+_(error|skipped|delay_.+)"})', "{{queue}}")],
            description="Messages waiting for a consumer (SipQueueBacklogHigh above 1000).")
    b.panel("Unacknowledged messages by queue", [('sum by (queue) (rabbitmq_detailed_queue_messages_unacked{queue!~".+_(error|skipped|delay_.+)"})', "{{queue}}")],
            description="Delivered to a consumer and being processed (or retried in memory).")
    b.panel("Delivery lag p99 by queue", [(f'histogram_quantile(0.99, sum by (le, messaging_masstransit_destination) (rate(messaging_masstransit_delivery_duration_milliseconds_bucket[{RI}])))',
                                           "{{messaging_masstransit_destination}}")], unit="ms",
            description="From publish to the consumer receiving it.")
    b.panel("Consumers by queue", [('sum by (queue) (rabbitmq_detailed_queue_consumers{queue!~".+_(error|skipped|delay_.+)"})', "{{queue}}")],
            description="0 on a service's queue pages after 5 minutes (SipConsumersMissing).")
    b.row("Failures")
    b.panel("Messages in _error queues", [('sum by (queue) (rabbitmq_detailed_queue_messages{queue=~".+_error"})', "{{queue}}")],
            thresholds=[(1, "red")], description="Any message here pages (SipMessagesInErrorQueue); replay per docs/operations.md.")
    b.panel("Consumer faults/s", [(f'sum by (service, consumer) (rate(sip_inbox_faults_total[{RI}]))', "{{service}} {{consumer}}")], unit="ops",
            description="Every failed attempt, retries included; the fifth sends the message to _error.")
    b.panel("Redeliveries/s", [(f'sum by (service, consumer) (rate(sip_inbox_redelivered_total[{RI}]))', "{{service}} {{consumer}} (broker redelivered)"),
                               (f'sum by (service, consumer) (rate(sip_inbox_duplicates_total[{RI}]))', "{{service}} {{consumer}} (duplicate skipped)"),
                               (f'sum by (queue_type) (rate(rabbitmq_global_messages_redelivered_total[{RI}]))', "broker: {{queue_type}}")], unit="ops")
    b.panel("Messages consumed/s by service", [(f'sum by (service) (rate(sip_inbox_processed_total[{RI}]))', "{{service}}")], unit="ops")
    b.row("Timers (deadlines, reminders)")
    b.panel("Timers overdue by service", [('max by (service) (sip_scheduled_events_overdue_seconds)', "{{service}}")], w=8, unit="s", thresholds=[(120, "red")],
            description="How long the oldest due timer has waited. Pages above 2 minutes (SipScheduledEventsOverdue).")
    b.panel("Timers pending by service", [('max by (service) (sip_scheduled_events_pending)', "{{service}}")], w=8)
    b.panel("Timers fired by event (1 h)", [('sum by (service, event) (increase(sip_scheduled_events_fired_total[1h]))', "{{service}} {{event}}")], w=8)
    return b


def process():
    t = 'tenant=~"$tenant"'
    b = Board("sip-process", "SIP process", "How the SIP process is going, per tenant: initiatives overdue, plans late, LUS deadlines breached, notifications not reaching units.",
              ["process"], variables=[("tenant", "Tenant", "label_values(sip_case_initiatives_overdue, tenant)")])
    b.row("Cases")
    b.panel("Initiatives overdue", [(f'sum by (tenant) (sip_case_initiatives_overdue{{{t}}})', "{{tenant}}")],
            description="Initiatives of open cases not answered by their deadline.")
    b.panel("Plans late", [(f'sum by (tenant, reason) (sip_case_plans_late{{{t}}})', "{{tenant}} {{reason}}")],
            description="unsigned: drafts not signed within two working days of the meeting; follow_up_overdue: locked plans whose next follow-up date has passed.")
    b.row("LUS (discharge from inpatient care)")
    b.panel("LUS deadlines breached and unmet", [(f'sum by (tenant, obligation) (sip_lus_deadlines_breached{{{t}}})', "{{tenant}} {{obligation}}")],
            thresholds=[(1, "red")], description="Raises a ticket (SipLusDeadlinesBreached).")
    b.panel("LUS breaches and warnings told (24 h)", [('sum by (event) (increase(sip_scheduled_events_fired_total{service="meeting-scheduling"}[24h]))', "{{event}}")])
    b.row("Notifications to units")
    b.panel("Delivery attempts/s by channel and outcome", [(f'sum by (channel, outcome) (rate(sip_notification_delivery_attempts_total[{RI}]))', "{{channel}} {{outcome}}")],
            unit="ops", stacked=True)
    b.panel("Deliveries failing by channel (ratio of attempts)",
            [(f'sum by (channel) (rate(sip_notification_delivery_attempts_total{{outcome=~"failed|given_up"}}[{RI}])) / sum by (channel) (rate(sip_notification_delivery_attempts_total[{RI}]))',
              "{{channel}}")], unit="percentunit", thresholds=[(0.5, "red")],
            description="Empty while nothing is attempted. Pages above 50 % for 15 minutes (SipDeliveriesFailing).")
    b.panel("Deliveries waiting and given up by channel", [('sum by (channel, state) (sip_notification_deliveries)', "{{channel}} {{state}}")],
            description="pending: waiting to be sent; retrying: the last attempt failed; failed: given up after 10 attempts (the unit sees it in its delivery log).")
    return b


def postgresql():
    b = Board("sip-postgresql", "SIP PostgreSQL", "The platform's PostgreSQL, from postgres_exporter, and the services' connection pools.", ["postgresql"])
    b.row("Health")
    b.panel("PostgreSQL up", [('min(pg_up)', "pg_up")], kind="stat", w=6, h=4, thresholds=[(1, "green")])
    b.panel("Connections used of max", [('sum(pg_stat_database_numbackends) / max(pg_settings_max_connections)', "used")], kind="stat", w=6, h=4,
            unit="percentunit", thresholds=[(0.8, "red")])
    b.panel("Database size", [('sum by (datname) (pg_database_size_bytes{datname="sip"})', "{{datname}}")], kind="stat", w=6, h=4, unit="bytes")
    b.panel("Longest transaction", [('max(pg_stat_activity_max_tx_duration)', "seconds")], kind="stat", w=6, h=4, unit="s")
    b.row("Load")
    b.panel("Connections by state", [('sum by (state) (pg_stat_activity_count{datname="sip"})', "{{state}}"), ('max(pg_settings_max_connections)', "max_connections")])
    b.panel("Transactions/s", [(f'sum(rate(pg_stat_database_xact_commit{{datname="sip"}}[{RI}]))', "commits"),
                               (f'sum(rate(pg_stat_database_xact_rollback{{datname="sip"}}[{RI}]))', "rollbacks")], unit="ops")
    b.panel("Cache hit ratio", [(f'sum(rate(pg_stat_database_blks_hit{{datname="sip"}}[{RI}])) / (sum(rate(pg_stat_database_blks_hit{{datname="sip"}}[{RI}])) + sum(rate(pg_stat_database_blks_read{{datname="sip"}}[{RI}])))',
                                 "hit ratio")], unit="percentunit")
    b.panel("Locks by mode, deadlocks", [('sum by (mode) (pg_locks_count{datname="sip"})', "{{mode}}"),
                                         (f'sum(increase(pg_stat_database_deadlocks{{datname="sip"}}[{RI}]))', "deadlocks")])
    b.row("Services' pools (Npgsql)")
    b.panel("Pool connections by service", [('sum by (job, db_client_connection_state) (db_client_connection_count)', "{{job}} {{db_client_connection_state}}")])
    b.panel("Query p99 by service", [(f'histogram_quantile(0.99, sum by (le, job) (rate(db_client_operation_duration_seconds_bucket[{RI}])))', "{{job}}")], unit="s")
    return b


def rabbitmq():
    b = Board("sip-rabbitmq", "SIP RabbitMQ", "The broker, from rabbitmq_prometheus (/metrics and /metrics/detailed?family=queue_coarse_metrics&family=queue_consumer_count).", ["rabbitmq"])
    b.row("Health")
    b.panel("Nodes", [('count(rabbitmq_identity_info)', "nodes")], kind="stat", w=6, h=4)
    b.panel("Alarms (memory, disk, file descriptors)", [('max(rabbitmq_alarms_memory_used_watermark)', "memory"), ('max(rabbitmq_alarms_free_disk_space_watermark)', "disk"),
                                                        ('max(rabbitmq_alarms_file_descriptor_limit)', "fds")], kind="stat", w=6, h=4, thresholds=[(1, "red")])
    b.panel("Connections", [('sum(rabbitmq_connections)', "connections")], kind="stat", w=6, h=4)
    b.panel("Consumers", [('sum(rabbitmq_consumers)', "consumers")], kind="stat", w=6, h=4)
    b.row("Resources")
    b.panel("Memory used of the alarm limit", [('sum by (instance) (rabbitmq_process_resident_memory_bytes) / sum by (instance) (rabbitmq_resident_memory_limit_bytes)', "{{instance}}")],
            unit="percentunit", thresholds=[(0.9, "red")])
    b.panel("Free disk over the alarm limit", [('sum by (instance) (rabbitmq_disk_space_available_bytes)', "{{instance}} free"),
                                               ('sum by (instance) (rabbitmq_disk_space_available_limit_bytes)', "{{instance}} limit")], unit="bytes")
    b.row("Traffic")
    b.panel("Messages/s", [(f'sum(rate(rabbitmq_global_messages_received_total[{RI}]))', "received"),
                           (f'sum(rate(rabbitmq_global_messages_delivered_total[{RI}]))', "delivered"),
                           (f'sum(rate(rabbitmq_global_messages_redelivered_total[{RI}]))', "redelivered")], unit="ops")
    b.panel("Messages in queues", [('sum(rabbitmq_detailed_queue_messages_ready)', "ready"), ('sum(rabbitmq_detailed_queue_messages_unacked)', "unacked"),
                                   ('sum(rabbitmq_detailed_queue_messages{queue=~".+_error"})', "in _error queues")])
    return b


def main():
    boards = [overview(), messaging(), process(), postgresql(), rabbitmq()] + [service(d) for d in DEPLOYABLES]
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    for b in boards:
        with open(os.path.join(OUT, b.uid + ".json"), "w") as f:
            json.dump(b.json(), f, indent=2, ensure_ascii=False)
            f.write("\n")
    print(f"wrote {len(boards)} dashboards to {OUT}")


if __name__ == "__main__":
    main()
