package com.acme.helpdesk.shared;

import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer of an operation that enqueued a job (202 Accepted): the job's id, to find it in the JobRunr dashboard. */
@Schema(description = "A job was enqueued to do what was asked")
public record AcceptedJob(@Schema(description = "The job's id (the JobRunr dashboard finds it)") UUID jobId) {
}
