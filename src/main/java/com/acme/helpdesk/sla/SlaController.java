package com.acme.helpdesk.sla;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.tenancy.AuditTrail;
import com.acme.helpdesk.tenancy.Tenant;
import com.acme.helpdesk.tickets.AssigneeDirectory;
import com.acme.helpdesk.tickets.Priority;
import com.acme.helpdesk.tickets.Tickets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code PUT|GET /api/v1/sla-policies/{priority}}, {@code GET /api/v1/sla-policies},
 * {@code PUT|GET /api/v1/escalation-policy}, {@code GET /api/v1/tickets/{id}/sla}. Changing a policy needs an admin
 * key; a changed SLA policy applies to clocks started afterwards (running clocks keep their targets and calendar).
 */
@RestController
class SlaController {

	static final Duration MAX_TARGET = Duration.ofDays(365);
	static final Duration MAX_ESCALATION_DELAY = Duration.ofDays(30);
	static final int MAX_LEVELS = 10;

	@Schema(name = "BusinessHoursWindowInput", description = "A window of business hours in one day")
	record WindowInput(@Schema(description = "Its start (local time, `HH:mm`)", example = "09:00") @NotNull String from,
			@Schema(description = "Its end, after the start", example = "18:00") @NotNull String to) {
	}

	@Schema(description = "The hours SLA clocks run; at least one window", example = """
			{"timeZone": "Europe/Berlin", "weekly": {"MONDAY": [{"from": "09:00", "to": "18:00"}]}}""")
	record BusinessHoursInput(
			@Schema(description = "An IANA time zone", example = "Europe/Berlin")
			@NotBlank @Size(max = 100) String timeZone,
			@Schema(description = "Per day of the week (`MONDAY`...), up to 10 windows that do not overlap")
			@NotNull Map<DayOfWeek, @NotNull @Size(max = 10) List<@NotNull @Valid WindowInput>> weekly) {
	}

	@Schema(name = "SlaPolicyInput", description = "The SLA targets of one priority")
	record PolicyInput(
			@Schema(description = "Time to the first public agent reply, whole seconds from `PT1S` to `P365D`",
			type = "string", format = "duration", example = "PT1H") @NotNull Duration firstResponse,
			@Schema(description = "Time to resolution, whole seconds from `PT1S` to `P365D`", type = "string",
					format = "duration",
					example = "PT8H") @NotNull Duration resolution,
			@Schema(description = "When a clock warns, in percent of its target; 80 when left out", example = "80")
			@Min(1) @Max(99) Integer warningPercent,
			@Valid BusinessHoursInput businessHours) {
	}

	@Schema(name = "SlaPolicy", description = "The SLA targets of one priority")
	record PolicyView(@Schema(description = "The priority they apply to") Priority priority,
			@Schema(description = "Time to the first public agent reply", format = "duration", example = "PT1H")
			String firstResponse,
			@Schema(description = "Time to resolution", format = "duration", example = "PT8H") String resolution,
			@Schema(description = "When a clock warns, in percent of its target") int warningPercent,
			BusinessHoursJson businessHours) {

		static PolicyView of(SlaPolicy p) {
			return new PolicyView(p.priority(), p.firstResponse().toString(), p.resolution().toString(),
					p.warningPercent(), BusinessHoursJson.of(p.businessHours()));
		}
	}

	@Schema(name = "SlaPolicyList", description = "The merchant's SLA policies")
	record PolicyList(@Schema(description = "One per priority that has one") List<PolicyView> items) {
	}

	@Schema(name = "EscalationLevelInput", description = "One level of escalation")
	record LevelInput(
			@Schema(description = "How long after the breach, `PT0S` to `P30D`, not before the previous level's",
			type = "string", format = "duration", example = "PT30M") @NotNull Duration after,
			@Schema(description = "What it does") @NotNull EscalationAction action,
			@Schema(description = "The agents `NOTIFY_SUPERVISOR` notifies")
			@Size(max = 20) List<@NotNull UUID> supervisorAgentIds) {
	}

	@Schema(name = "EscalationPolicyInput", description = "What happens when an SLA is breached, level by level")
	record EscalationPolicyInput(@Schema(description = "The levels, in order (at most 10; none: no escalation)")
			@NotNull @Size(max = MAX_LEVELS) List<@NotNull @Valid LevelInput> levels) {
	}

	@Schema(name = "EscalationLevel", description = "One level of escalation")
	record LevelView(@Schema(description = "Its number, from 1") int level,
			@Schema(description = "How long after the breach", format = "duration", example = "PT30M") String after,
			@Schema(description = "What it does") EscalationAction action,
			@Schema(description = "The agents `NOTIFY_SUPERVISOR` notifies") List<UUID> supervisorAgentIds) {
	}

	@Schema(name = "EscalationPolicy", description = "What happens when an SLA is breached, level by level")
	record EscalationPolicyView(@Schema(description = "The levels, in order") List<LevelView> levels) {

		static EscalationPolicyView of(EscalationPolicy policy) {
			var levels = new ArrayList<LevelView>();
			for (int i = 0; i < policy.levels().size(); i++) {
				var l = policy.levels().get(i);
				levels.add(new LevelView(i + 1, l.after().toString(), l.action(), l.supervisorAgentIds()));
			}
			return new EscalationPolicyView(levels);
		}
	}

	@Schema(name = "SlaClock", description = "One SLA clock of a ticket")
	record ClockView(@Schema(description = "What it measures") SlaMetric metric,
			@Schema(description = "`RUNNING`, `PAUSED` (the ticket is `PENDING`) or `STOPPED`") ClockState state,
			@Schema(description = "When it breaches, if it keeps running", nullable = true) Instant dueAt,
			@Schema(description = "When it warns, if it keeps running", nullable = true) Instant warnAt,
			@Schema(description = "Whether it warned") boolean warned,
			@Schema(description = "Whether it breached") boolean breached,
			@Schema(description = "How long it has been paused in all", format = "duration", example = "PT0S")
			String pausedFor,
			@Schema(description = "Which run of the clock (a reopen starts a new cycle)", example = "1") int cycle,
			@Schema(description = "Its target", format = "duration", example = "PT8H") String target,
			@Schema(description = "When it started") Instant startedAt,
			@Schema(description = "When it breached", nullable = true) Instant breachedAt,
			@Schema(description = "When it stopped", nullable = true) Instant stoppedAt) {

		static ClockView of(SlaClock c, Instant now) {
			return new ClockView(c.metric(), c.state(), c.dueAt(), c.warnAt(), c.warned(), c.breached(),
					c.pausedFor(now).toString(), c.cycle(), c.target().toString(), c.startedAt(), c.breachedAt(),
					c.stoppedAt());
		}
	}

	@Schema(name = "TicketSla", description = "A ticket's SLA clocks")
	record TicketSlaView(
			@Schema(description = "Its clocks (none without an SLA policy for its priority)") List<ClockView> clocks) {
	}

	private final SlaPolicies slaPolicies;
	private final EscalationPolicies escalationPolicies;
	private final SlaClocks clocks;
	private final Tickets tickets;
	private final AssigneeDirectory agents;
	private final Clock clock;
	private final AuditTrail audit;

	SlaController(SlaPolicies slaPolicies, EscalationPolicies escalationPolicies, SlaClocks clocks, Tickets tickets,
			AssigneeDirectory agents, Clock clock, AuditTrail audit) {
		this.audit = audit;
		this.slaPolicies = slaPolicies;
		this.escalationPolicies = escalationPolicies;
		this.clocks = clocks;
		this.tickets = tickets;
		this.agents = agents;
		this.clock = clock;
	}

	@GetMapping("/api/v1/sla-policies")
	@Tag(name = "SLA policies")
	@Operation(operationId = "listSlaPolicies", summary = "List the SLA policies",
			description = "The merchant's SLA policy of each priority that has one.")
	PolicyList list(@AuthenticationPrincipal Tenant tenant) {
		return new PolicyList(slaPolicies.all(tenant.merchantId()).stream().map(PolicyView::of).toList());
	}

	@GetMapping("/api/v1/sla-policies/{priority}")
	@Tag(name = "SLA policies")
	@Operation(operationId = "getSlaPolicy", summary = "Read the SLA policy of a priority",
			description = "404 while the priority has none.")
	PolicyView get(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "The priority") @PathVariable Priority priority) {
		return slaPolicies.find(tenant.merchantId(), priority)
			.map(PolicyView::of)
			.orElseThrow(() -> new NotFoundException("SLA policy", priority));
	}

	@PutMapping("/api/v1/sla-policies/{priority}")
	@Transactional
	@Tag(name = "SLA policies")
	@Operation(operationId = "putSlaPolicy", summary = "Set the SLA policy of a priority", description = """
			The first-response and resolution targets of tickets of this priority, optionally in business hours. \
			Applies to clocks started afterwards; running clocks keep their targets. Needs an admin key.""")
	@ApiResponse(responseCode = "200", description = "The policy")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	PolicyView put(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The priority") @PathVariable Priority priority,
			@Valid @RequestBody PolicyInput input) {
		requireAdmin(tenant);
		target("firstResponse", input.firstResponse());
		target("resolution", input.resolution());
		var hours = businessHours(input.businessHours());
		if (hours != null) {
			var longest = input.resolution().compareTo(input.firstResponse()) >= 0 ? "resolution" : "firstResponse";
			try {
				hours.plus(clock.instant(), input.resolution().compareTo(input.firstResponse()) >= 0
						? input.resolution() : input.firstResponse());
			}
			catch (IllegalStateException e) {
				throw new InvalidFieldException(longest, "is too long for these business hours");
			}
		}
		var policy = new SlaPolicy(priority, input.firstResponse(), input.resolution(),
				input.warningPercent() == null ? 80 : input.warningPercent(), hours);
		var before = slaPolicies.find(tenant.merchantId(), priority).map(PolicyView::of).orElse(null);
		var after = PolicyView.of(slaPolicies.save(tenant.merchantId(), policy));
		audit.record(tenant, "sla-policy.updated", "sla-policy:" + priority, before, after);
		return after;
	}

	@GetMapping("/api/v1/escalation-policy")
	@Tag(name = "Escalation policy")
	@Operation(operationId = "getEscalationPolicy", summary = "Read the escalation policy",
			description = "The merchant's escalation levels (none by default).")
	EscalationPolicyView escalationPolicy(@AuthenticationPrincipal Tenant tenant) {
		return EscalationPolicyView.of(escalationPolicies.of(tenant.merchantId()));
	}

	@PutMapping("/api/v1/escalation-policy")
	@Transactional
	@Tag(name = "Escalation policy")
	@Operation(operationId = "putEscalationPolicy", summary = "Set the escalation policy", description = """
			The levels that follow a breach: notify supervisors, reassign the ticket, raise its priority. Needs an \
			admin key.""")
	@ApiResponse(responseCode = "200", description = "The policy")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	EscalationPolicyView putEscalationPolicy(@AuthenticationPrincipal Tenant tenant,
			@Valid @RequestBody EscalationPolicyInput input) {
		requireAdmin(tenant);
		var levels = new ArrayList<EscalationPolicy.Level>();
		Duration previous = Duration.ZERO;
		for (int i = 0; i < input.levels().size(); i++) {
			var level = input.levels().get(i);
			var field = "levels[%d]".formatted(i);
			if (level.after().isNegative() || level.after().compareTo(MAX_ESCALATION_DELAY) > 0) {
				throw new InvalidFieldException(field + ".after", "must be between PT0S and P30D");
			}
			if (level.after().compareTo(previous) < 0) {
				throw new InvalidFieldException(field + ".after", "must not be before the previous level's");
			}
			previous = level.after();
			var supervisors = level.supervisorAgentIds() == null ? List.<UUID>of()
					: List.copyOf(new java.util.LinkedHashSet<>(level.supervisorAgentIds()));
			for (int j = 0; j < supervisors.size(); j++) {
				if (agents.find(tenant.merchantId(), supervisors.get(j)).isEmpty()) {
					throw new InvalidFieldException(field + ".supervisorAgentIds[%d]".formatted(j), "no such agent");
				}
			}
			levels.add(new EscalationPolicy.Level(level.after(), level.action(), supervisors));
		}
		var before = EscalationPolicyView.of(escalationPolicies.of(tenant.merchantId()));
		var after = EscalationPolicyView.of(escalationPolicies.save(tenant.merchantId(), new EscalationPolicy(levels)));
		audit.record(tenant, "escalation-policy.updated", "escalation-policy", before, after);
		return after;
	}

	@GetMapping("/api/v1/tickets/{id}/sla")
	@Tag(name = "SLA clocks")
	@Operation(operationId = "getTicketSla", summary = "Read a ticket's SLA clocks", description = """
			Its first-response and resolution clocks: state, due and warning times, breaches.""")
	TicketSlaView ticketSla(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The ticket's id") @PathVariable UUID id) {
		tickets.find(tenant.merchantId(), id).orElseThrow(() -> new NotFoundException("Ticket", id));
		var now = clock.instant();
		return new TicketSlaView(clocks.of(tenant.merchantId(), id).stream().map(c -> ClockView.of(c, now)).toList());
	}

	private static void requireAdmin(Tenant tenant) {
		if (!tenant.isAdmin()) {
			throw new AccessDeniedException("This needs an admin key");
		}
	}

	private static void target(String field, Duration value) {
		if (value.isNegative() || value.isZero() || value.compareTo(MAX_TARGET) > 0) {
			throw new InvalidFieldException(field, "must be between PT1S and P365D");
		}
		if (value.getNano() != 0) {
			throw new InvalidFieldException(field, "must be whole seconds");
		}
	}

	private static BusinessHours businessHours(BusinessHoursInput input) {
		if (input == null) {
			return null;
		}
		ZoneId zone;
		try {
			zone = ZoneId.of(input.timeZone());
		}
		catch (DateTimeException e) {
			throw new InvalidFieldException("businessHours.timeZone", "must be a time-zone id such as Europe/Berlin");
		}
		var weekly = new EnumMap<DayOfWeek, List<BusinessHours.Window>>(DayOfWeek.class);
		input.weekly().forEach((day, windows) -> {
			var parsed = new ArrayList<BusinessHours.Window>();
			for (int i = 0; i < windows.size(); i++) {
				var field = "businessHours.weekly.%s[%d]".formatted(day, i);
				var from = time(field + ".from", windows.get(i).from());
				var to = time(field + ".to", windows.get(i).to());
				if (!to.isAfter(from)) {
					throw new InvalidFieldException(field + ".to", "must be after from");
				}
				parsed.add(new BusinessHours.Window(from, to));
			}
			parsed.sort(java.util.Comparator.comparing(BusinessHours.Window::from));
			for (int i = 1; i < parsed.size(); i++) {
				if (parsed.get(i).from().isBefore(parsed.get(i - 1).to())) {
					throw new InvalidFieldException("businessHours.weekly." + day, "has overlapping windows");
				}
			}
			weekly.put(day, parsed);
		});
		if (weekly.values().stream().allMatch(List::isEmpty)) {
			throw new InvalidFieldException("businessHours.weekly", "needs at least one window");
		}
		return new BusinessHours(zone, weekly);
	}

	private static LocalTime time(String field, String value) {
		try {
			return LocalTime.parse(value);
		}
		catch (DateTimeParseException e) {
			throw new InvalidFieldException(field, "must be a time such as 09:00");
		}
	}
}
