import CoreMetrics
import Prometheus
import VigilStore

/// The server's metrics in Prometheus's text format: what Hummingbird's `MetricsMiddleware` and the
/// signature writer record as they go, and the signature and outbox figures read from the database
/// when `/metrics` is scraped.
///
/// Names follow Prometheus's conventions rather than Hummingbird's: `http_requests_total`,
/// `http_request_duration_seconds` and `http_requests_in_flight`, with the labels `method`, `route`
/// (the route's pattern, such as `/petitions/{slug}`, never the path asked for) and `status`.
public final class VigilMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    /// The swift-metrics backend that records into this registry.
    public let factory: PrometheusMetricsFactory

    /// Metrics in a registry of their own. Hummingbird's request metrics reach it only once it is
    /// the process's metrics system (``bootstrapped()``); tests use one per server.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (VigilMetrics.names[name] ?? name, labels.map { (VigilMetrics.labelNames[$0.0] ?? $0.0, $0.1) })
        }
        // Vigil answers most requests from memory in well under a millisecond.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
        ]
        // A batch holds at most 256 requests (SigningSettings.maximumBatchSize).
        factory.valueHistogramBuckets[SignatureWriter.batchSizeMetric] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
        self.factory = factory
    }

    /// Metrics that are also the process's swift-metrics backend. Call it once, before the store
    /// and the application are made.
    public static func bootstrapped() -> VigilMetrics {
        let metrics = VigilMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        return metrics
    }

    /// Hummingbird's metric names and dimensions, as Vigil exposes them.
    private static let names = [
        "hb.requests": "http_requests_total",
        "http.server.request.duration": "http_request_duration_seconds",
        "hb.request.errors": "http_request_errors_total",
        "http.server.active_requests": "http_requests_in_flight",
    ]
    private static let labelNames = [
        "http.route": "route",
        "http.request.method": "method",
        "http.response.status_code": "status",
        "error.type": "status",
    ]

    private static var signatures: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vigil", metricName: "signatures", unitName: "",
            helpText: "Signature rows by state, over all petitions: pending, confirmed (counted), held, withdrawn, invalidated"
        )
    }
    private static var outbox: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vigil", metricName: "mail_outbox", unitName: "", helpText: "Outgoing e-mail messages by status"
        )
    }

    /// Reads the signature states and the outbox (one grouped query each) into their gauges, and
    /// returns every metric in the text exposition format.
    func exposition(store: Store) async throws -> [UInt8] {
        for (state, count) in try await store.signatureStates() {
            registry.makeGauge(descriptor: Self.signatures, labels: [("state", state)]).set(Int64(count))
        }
        let outbox = try await store.outboxSummary()
        for (status, count) in [("queued", outbox.queued), ("sending", outbox.sending), ("sent", outbox.sent), ("failed", outbox.failed)] {
            registry.makeGauge(descriptor: Self.outbox, labels: [("status", status)]).set(Int64(count))
        }
        return registry.emitToBuffer()
    }
}
