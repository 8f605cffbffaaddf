package com.acme.helpdesk.sla;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.AcceptedJob;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The SLA monitor's manual trigger (ops token): a sweep now, besides the schedule. */
@RestController
@Tag(name = "SLA monitor")
class SlaMonitorController {

	private final SlaMonitorSchedule schedule;

	SlaMonitorController(SlaMonitorSchedule schedule) {
		this.schedule = schedule;
	}

	@PostMapping("/ops/v1/sla-monitor/run")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "runSlaMonitor", summary = "Run the SLA monitor now", description = """
			Enqueues a sweep of the SLA clocks (warnings, breaches) besides the schedule; never two at once.""")
	AcceptedJob run() {
		return new AcceptedJob(schedule.runNow());
	}
}
