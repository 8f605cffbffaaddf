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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

@RestController
@RequestMapping("/ops/v1/event-publications")
@Validated
@Tag(name = "Event publications")
class OutboxController {

	@Schema(name = "ResubmitPublications", description = "Which incomplete publications to deliver again")
	record Resubmit(@Schema(description = "Those published longer ago than this, `PT0S` to `P3650D`", type = "string",
			format = "duration", example = "PT5M") @NotNull Duration olderThan) {
	}

	@Schema(name = "ResubmittedPublications", description = "What was delivered again")
	record Resubmitted(@Schema(description = "How many publications were resubmitted") int resubmitted) {
	}

	@Schema(name = "PurgePublications", description = "Which completed publications to delete")
	record Purge(@Schema(description = "Those completed longer ago than this, `PT0S` to `P3650D`", type = "string",
			format = "duration", example = "P7D") @NotNull Duration olderThan) {
	}

	private final OutboxMaintenance maintenance;
	private final org.springframework.modulith.events.CompletedEventPublications completed;

	OutboxController(OutboxMaintenance maintenance,
			org.springframework.modulith.events.CompletedEventPublications completed) {
		this.maintenance = maintenance;
		this.completed = completed;
	}

	@GetMapping
	@Operation(operationId = "listEventPublications", summary = "List incomplete event publications", description = """
			Events whose listeners have not completed yet (failed, or still running), oldest first.""")
	PageResponse<OutboxMaintenance.Publication> list(
			@Parameter(description = "`incomplete`, the only state listed")
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
	@Operation(operationId = "resubmitEventPublications", summary = "Resubmit incomplete event publications",
			description = """
			Delivers the incomplete publications older than `olderThan` to their listeners again (a cluster-wide \
			job does this every minute too).""")
	Resubmitted resubmit(@Valid @RequestBody Resubmit request) {
		checkAge(request.olderThan());
		return new Resubmitted(maintenance.resubmitOlderThan(request.olderThan()));
	}

	@PostMapping("/purge")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "purgeEventPublications", summary = "Purge completed event publications",
			description = "Deletes the completed publications older than `olderThan`.")
	@ApiResponse(responseCode = "204", description = "Purged")
	void purge(@Valid @RequestBody Purge request) {
		checkAge(request.olderThan());
		completed.deletePublicationsOlderThan(request.olderThan());
	}
}
