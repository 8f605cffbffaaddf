package com.acme.helpdesk.outbox;

import java.time.Duration;

import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.http.HttpStatus;

import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.PageResponse;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

@RestController
@RequestMapping("/ops/v1/event-publications")
@Validated
class OutboxController {

	record Resubmit(@NotNull Duration olderThan) {
	}

	record Resubmitted(int resubmitted) {
	}

	record Purge(@NotNull Duration olderThan) {
	}

	private final OutboxMaintenance maintenance;
	private final org.springframework.modulith.events.CompletedEventPublications completed;

	OutboxController(OutboxMaintenance maintenance,
			org.springframework.modulith.events.CompletedEventPublications completed) {
		this.maintenance = maintenance;
		this.completed = completed;
	}

	@GetMapping
	PageResponse<OutboxMaintenance.Publication> list(
			@RequestParam(defaultValue = "incomplete") @Pattern(regexp = "incomplete") String state,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
		return new PageResponse<>(maintenance.listIncomplete(page * size, size), page, size,
				maintenance.countIncomplete());
	}

	/** Ten years: older than anything kept, and far from the overflow of an instant minus a duration. */
	private static final Duration MAX_AGE = Duration.ofDays(3650);

	private static void checkAge(Duration olderThan) {
		if (olderThan.isNegative() || olderThan.compareTo(MAX_AGE) > 0) {
			throw new InvalidFieldException("olderThan", "must be between PT0S and P3650D");
		}
	}

	@PostMapping("/resubmit")
	Resubmitted resubmit(@Valid @RequestBody Resubmit request) {
		checkAge(request.olderThan());
		return new Resubmitted(maintenance.resubmitOlderThan(request.olderThan()));
	}

	@PostMapping("/purge")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void purge(@Valid @RequestBody Purge request) {
		checkAge(request.olderThan());
		completed.deletePublicationsOlderThan(request.olderThan());
	}
}
