package com.acme.helpdesk.tickets;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobIdempotency;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.outbound.MerchantShareTakenException;
import com.acme.helpdesk.outbound.OutboundCalls;
import com.acme.helpdesk.tenancy.MerchantSettings;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code enrich} job: adds the requester's history (earlier and open tickets, and the last satisfaction rating
 * when a {@link SatisfactionRatings} is there) and, when the merchant configured an enrichment
 * endpoint, its answer to the ticket's {@code enrichment}, then publishes {@link TicketContextEnriched}.
 * The endpoint gets a POST through {@link OutboundCalls}, signed as Standard Webhooks with the merchant's webhook
 * secret ({@code webhook-id: enrich_<ticket id>}), with {@link EnrichmentProperties#timeout()} for the connect and for
 * the whole exchange; its answer must be a JSON object of at most {@value #MAX_ANSWER_BYTES} bytes. A slow, failing
 * or oversized answer fails the attempt, which the queue retries and finally dead-letters; a URL leading to an address
 * the merchant may not reach is dead-lettered at once; a merchant holding its share of the workers makes the job wait. The endpoint is called
 * before the transaction, so no connection is held while it answers. The ticket is read and written with SQL: the
 * entity would parse and copy JSON columns the job does not touch, and write every column back. What the write
 * changes and the event it raises are the aggregate's rule ({@link Ticket#enrichment}). Each enrichment commits on its
 * own, never in a transaction shared with others: there, the ticket rows written first stayed locked until the last
 * job of the batch was done, and those tickets' {@code assign} jobs waited for them.
 */
@Component
class EnrichTicketContext implements JobWorker<ContextEnrichmentJob> {

	static final int RATED_TICKETS_CONSIDERED = 1_000;

	/** The largest endpoint answer read (and stored on the ticket). */
	static final int MAX_ANSWER_BYTES = 64 * 1024;

	/**
	 * What enrichment reads of a ticket, with its requester's history: the counts and the other tickets, the most
	 * recent {@value #RATED_TICKETS_CONSIDERED} (those a rating can be about). The context (JSON) is parsed only for an
	 * endpoint.
	 */
	private record Enriched(UUID id, UUID merchantId, long number, Instant createdAt, Ticket.Requester requester,
			String context, long earlierTickets, long openTickets, List<UUID> otherTickets) {
	}

	/** The ticket and its requester's history in one statement. */
	private static final String READ = """
			SELECT t.id, t.merchant_id, t.number, t.created_at, t.requester_email, t.requester_name,
			       t.requester_external_id, t.context::text, history.earlier, history.open, other.ids
			FROM ticket t
			CROSS JOIN LATERAL (
			    SELECT count(*) FILTER (WHERE r.created_at < t.created_at) AS earlier,
			           count(*) FILTER (WHERE r.status NOT IN ('RESOLVED', 'CLOSED') AND r.id <> t.id) AS open
			    FROM ticket r WHERE r.merchant_id = t.merchant_id AND r.requester_email = t.requester_email) history
			CROSS JOIN LATERAL (
			    SELECT array_agg(recent.id) AS ids FROM (
			        SELECT r.id FROM ticket r
			        WHERE r.merchant_id = t.merchant_id AND r.requester_email = t.requester_email AND r.id <> t.id
			        ORDER BY r.created_at DESC LIMIT %d) recent) other
			WHERE t.id = ? AND t.merchant_id = ?""".formatted(RATED_TICKETS_CONSIDERED);

	private final JdbcClient jdbc;
	private final MerchantSettingsStore settings;
	private final JobIdempotency idempotency;
	private final TransactionTemplate transactions;
	private final ObjectMapper objectMapper;
	private final ApplicationEventPublisher events;
	private final Clock clock;
	private final Duration timeout;
	private final OutboundCalls outbound;
	private final Optional<SatisfactionRatings> ratings;

	EnrichTicketContext(JdbcClient jdbc, MerchantSettingsStore settings, JobIdempotency idempotency,
			TransactionTemplate transactions, ObjectMapper objectMapper, ApplicationEventPublisher events, Clock clock,
			EnrichmentProperties properties, ObjectProvider<SatisfactionRatings> ratings,
			OutboundCalls outbound) {
		this.outbound = outbound;
		this.ratings = Optional.ofNullable(ratings.getIfAvailable());
		this.jdbc = jdbc;
		this.events = events;
		this.settings = settings;
		this.idempotency = idempotency;
		this.transactions = transactions;
		this.objectMapper = objectMapper;
		this.clock = clock;
		this.timeout = properties.timeout();
	}

	@Override
	public Class<ContextEnrichmentJob> jobType() {
		return ContextEnrichmentJob.class;
	}

	@Override
	public void run(ContextEnrichmentJob job, JobRun run) throws Exception {
		var ticket = jdbc.sql(READ)
			.params(job.ticketId(), job.merchantId())
			.query((rs, row) -> new Enriched(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3),
					rs.getTimestamp(4).toInstant(), new Ticket.Requester(rs.getString(5), rs.getString(6), rs.getString(7)),
					rs.getString(8), rs.getLong(9), rs.getLong(10), uuids(rs.getArray(11))))
			.optional()
			.orElseThrow(() -> new InvalidJobArgumentsException(
					"merchant %s has no ticket %s".formatted(job.merchantId(), job.ticketId())));
		var enrichment = objectMapper.createObjectNode();
		enrichment.set("requesterHistory", history(ticket));
		var merchantSettings = settings.of(job.merchantId());
		if (merchantSettings.enrichmentUrl() != null) {
			try {
				enrichment.set("endpoint", callEndpoint(merchantSettings, ticket));
			}
			catch (MerchantShareTakenException e) {
				outbound.postpone(job, run);
				return;
			}
		}
		var change = Ticket.enrichment(ticket.id(), ticket.merchantId(), enrichment, clock.instant());
		var written = objectMapper.writeValueAsString(change.enrichment());
		var calledEndpoint = merchantSettings.enrichmentUrl() != null;
		transactions.executeWithoutResult(status -> {
			// the endpoint's answer is recorded once with the job's key; an enrichment from the database alone is
			// written once because it is written only while the ticket has none
			if (!calledEndpoint || idempotency.claim(run)) {
				jdbc.sql(calledEndpoint ? ENRICH : ENRICH_FIRST)
					.params(written, Timestamp.from(change.at()), change.ticketId(), change.merchantId())
					.query(Long.class)
					.optional()
					.ifPresent(version -> events.publishEvent(change.event(version)));
			}
		});
	}

	private static final String ENRICH = """
			UPDATE ticket SET enrichment = CAST(? AS jsonb), updated_at = ?, version = version + 1
			WHERE id = ? AND merchant_id = ?
			RETURNING version""";

	private static final String ENRICH_FIRST = """
			UPDATE ticket SET enrichment = CAST(? AS jsonb), updated_at = ?, version = version + 1
			WHERE id = ? AND merchant_id = ? AND enrichment IS NULL
			RETURNING version""";

	private ObjectNode history(Enriched ticket) {
		var history = objectMapper.createObjectNode();
		history.put("earlierTickets", ticket.earlierTickets());
		history.put("openTickets", ticket.openTickets());
		ratings.ifPresent(surveys -> {
			var rating = surveys.lastRating(ticket.merchantId(), ticket.otherTickets());
			if (rating.isEmpty()) {
				history.putNull("lastSatisfactionRating");
				return;
			}
			history.putObject("lastSatisfactionRating")
				.put("rating", rating.get().rating())
				.put("ticketId", rating.get().ticketId().toString())
				.put("answeredAt", rating.get().answeredAt().toString());
		});
		return history;
	}

	private static List<UUID> uuids(java.sql.Array array) throws java.sql.SQLException {
		return array == null ? List.of() : List.of((UUID[]) array.getArray());
	}

	private JsonNode callEndpoint(MerchantSettings merchant, Enriched ticket) throws Exception {
		var payload = objectMapper.createObjectNode();
		payload.put("ticketId", ticket.id().toString());
		payload.put("number", ticket.number());
		payload.put("merchantId", ticket.merchantId().toString());
		payload.putPOJO("requester", ticket.requester());
		payload.set("context", ticket.context() == null ? null : objectMapper.readTree(ticket.context()));
		var body = objectMapper.writeValueAsString(payload);
		var answer = outbound.post(JobQueue.CONTEXT_ENRICHMENT, ticket.merchantId(),
				new OutboundCalls.Request(merchant.enrichmentUrl(), "enrich_" + ticket.id(),
						merchant.signingSecrets(clock.instant()), body, timeout, timeout, MAX_ANSWER_BYTES));
		var json = objectMapper.readTree(answer);
		if (json == null || !json.isObject()) {
			throw new IllegalStateException("enrichment endpoint %s answered no JSON object".formatted(merchant.enrichmentUrl()));
		}
		return json;
	}
}
