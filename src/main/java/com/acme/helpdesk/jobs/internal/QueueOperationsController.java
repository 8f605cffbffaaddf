package com.acme.helpdesk.jobs.internal;

import java.time.Instant;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.shared.AcceptedJob;
import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.PageResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Operations on the queues: dead letters (ops token). */
@RestController
@Validated
@Tag(name = "Dead letters")
class QueueOperationsController {

	@Schema(name = "DeadLetter",
			description = "A job that failed for good: every attempt, or arguments it cannot run with")
	record DeadLetterView(@Schema(description = "The dead letter's id") UUID id,
			@Schema(description = "The job's id") UUID jobId,
			@Schema(description = "The job's queue", example = "helpdesk.notification") String queue,
			@Schema(description = "What the job does", example = "deliver-notification") String jobName,
			@Schema(description = "The job's arguments as JSON: an object, or an array for a job of several", nullable = true,
					implementation = Object.class) JsonNode arguments,
			@Schema(description = "Why its last attempt failed") String error,
			@Schema(description = "How many attempts it made") int attempts,
			@Schema(description = "When it failed for good") Instant failedAt) {
	}

	private final DeadLetters deadLetters;
	QueueOperationsController(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	@GetMapping("/ops/v1/dead-letters")
	@Operation(operationId = "listDeadLetters", summary = "List dead letters",
			description = "Jobs that failed for good, newest first.")
	PageResponse<DeadLetterView> deadLetters(
			@Parameter(description = "Only the dead letters of this queue (`helpdesk.notification`, ...)",
					example = "helpdesk.notification")
			@RequestParam(required = false) String queue,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(500) int size) {
		var queueName = queue == null || queue.isBlank() ? null : queueName(queue);
		var items = deadLetters.list(queueName, page * size, size)
			.stream()
			.map(d -> new DeadLetterView(d.id(), d.jobId(), d.queue(), d.jobName(), d.arguments(), d.error(),
					d.attempts(), d.failedAt()))
			.toList();
		return new PageResponse<>(items, page, size, deadLetters.count(queueName));
	}

	@PostMapping("/ops/v1/dead-letters/{id}/requeue")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "requeueDeadLetter", summary = "Requeue a dead letter", description = """
			Enqueues the job again, with a fresh set of attempts; the dead letter goes.""")
	AcceptedJob requeue(@Parameter(description = "The dead letter's id") @PathVariable UUID id) {
		return new AcceptedJob(deadLetters.requeue(id));
	}

	@DeleteMapping("/ops/v1/dead-letters/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "discardDeadLetter", summary = "Discard a dead letter",
			description = "Forgets the failed job.")
	@ApiResponse(responseCode = "204", description = "Discarded")
	void discard(@Parameter(description = "The dead letter's id") @PathVariable UUID id) {
		deadLetters.discard(id);
	}

	private static String queueName(String queue) {
		if (QueueMetrics.NO_QUEUE.equals(queue)) {
			return queue;
		}
		try {
			return JobQueue.ofName(queue).queueName();
		}
		catch (IllegalArgumentException e) {
			throw new InvalidFieldException("queue", "must be one of " + java.util.Arrays.stream(JobQueue.values())
				.map(JobQueue::queueName)
				.toList());
		}
	}
}
