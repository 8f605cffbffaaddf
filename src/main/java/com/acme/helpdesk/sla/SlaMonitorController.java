package com.acme.helpdesk.sla;

import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The SLA monitor's manual trigger (ops token): a sweep now, besides the schedule. */
@RestController
class SlaMonitorController {

	private final SlaMonitorSchedule schedule;

	SlaMonitorController(SlaMonitorSchedule schedule) {
		this.schedule = schedule;
	}

	@PostMapping("/ops/v1/sla-monitor/run")
	ResponseEntity<Map<String, UUID>> run() {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("jobId", schedule.runNow()));
	}
}
