package com.acme.helpdesk.jobs.internal;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.PageResponse;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Operations on the queues: dead letters (ops token). */
@RestController
@Validated
class QueueOperationsController {

	record DeadLetterView(UUID id, UUID jobId, String queue, String jobName, JsonNode arguments, String error,
			int attempts, Instant failedAt) {
	}

	private final DeadLetters deadLetters;
	QueueOperationsController(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	@GetMapping("/ops/v1/dead-letters")
	PageResponse<DeadLetterView> deadLetters(@RequestParam(required = false) String queue,
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
	ResponseEntity<Map<String, UUID>> requeue(@PathVariable UUID id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("jobId", deadLetters.requeue(id)));
	}

	@DeleteMapping("/ops/v1/dead-letters/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void discard(@PathVariable UUID id) {
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
