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

	record WindowInput(@NotNull String from, @NotNull String to) {
	}

	record BusinessHoursInput(@NotBlank @Size(max = 100) String timeZone,
			@NotNull Map<DayOfWeek, @NotNull @Size(max = 10) List<@NotNull @Valid WindowInput>> weekly) {
	}

	record PolicyInput(@NotNull Duration firstResponse, @NotNull Duration resolution,
			@Min(1) @Max(99) Integer warningPercent, @Valid BusinessHoursInput businessHours) {
	}

	record PolicyView(Priority priority, String firstResponse, String resolution, int warningPercent,
			BusinessHoursJson businessHours) {

		static PolicyView of(SlaPolicy p) {
			return new PolicyView(p.priority(), p.firstResponse().toString(), p.resolution().toString(),
					p.warningPercent(), BusinessHoursJson.of(p.businessHours()));
		}
	}

	record PolicyList(List<PolicyView> items) {
	}

	record LevelInput(@NotNull Duration after, @NotNull EscalationAction action,
			@Size(max = 20) List<@NotNull UUID> supervisorAgentIds) {
	}

	record EscalationPolicyInput(@NotNull @Size(max = MAX_LEVELS) List<@NotNull @Valid LevelInput> levels) {
	}

	record LevelView(int level, String after, EscalationAction action, List<UUID> supervisorAgentIds) {
	}

	record EscalationPolicyView(List<LevelView> levels) {

		static EscalationPolicyView of(EscalationPolicy policy) {
			var levels = new ArrayList<LevelView>();
			for (int i = 0; i < policy.levels().size(); i++) {
				var l = policy.levels().get(i);
				levels.add(new LevelView(i + 1, l.after().toString(), l.action(), l.supervisorAgentIds()));
			}
			return new EscalationPolicyView(levels);
		}
	}

	record ClockView(SlaMetric metric, ClockState state, Instant dueAt, Instant warnAt, boolean warned,
			boolean breached, String pausedFor, int cycle, String target, Instant startedAt, Instant breachedAt,
			Instant stoppedAt) {

		static ClockView of(SlaClock c, Instant now) {
			return new ClockView(c.metric(), c.state(), c.dueAt(), c.warnAt(), c.warned(), c.breached(),
					c.pausedFor(now).toString(), c.cycle(), c.target().toString(), c.startedAt(), c.breachedAt(),
					c.stoppedAt());
		}
	}

	record TicketSlaView(List<ClockView> clocks) {
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
	PolicyList list(@AuthenticationPrincipal Tenant tenant) {
		return new PolicyList(slaPolicies.all(tenant.merchantId()).stream().map(PolicyView::of).toList());
	}

	@GetMapping("/api/v1/sla-policies/{priority}")
	PolicyView get(@AuthenticationPrincipal Tenant tenant, @PathVariable Priority priority) {
		return slaPolicies.find(tenant.merchantId(), priority)
			.map(PolicyView::of)
			.orElseThrow(() -> new NotFoundException("SLA policy", priority));
	}

	@PutMapping("/api/v1/sla-policies/{priority}")
	@Transactional
	PolicyView put(@AuthenticationPrincipal Tenant tenant, @PathVariable Priority priority,
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
	EscalationPolicyView escalationPolicy(@AuthenticationPrincipal Tenant tenant) {
		return EscalationPolicyView.of(escalationPolicies.of(tenant.merchantId()));
	}

	@PutMapping("/api/v1/escalation-policy")
	@Transactional
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
	TicketSlaView ticketSla(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id) {
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
