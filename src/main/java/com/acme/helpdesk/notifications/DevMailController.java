package com.acme.helpdesk.notifications;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.shared.PageResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The development mail sink for the operator (operations token): the mails written while no SMTP server is
 * configured, newest first, and each one's raw message. With an SMTP server configured both answer 404.
 */
@RestController
@RequestMapping("/ops/v1/dev-mail")
@Validated
@Tag(name = "Development mail")
class DevMailController {

	private final OutgoingMail mail;

	DevMailController(OutgoingMail mail) {
		this.mail = mail;
	}

	@GetMapping
	@Operation(operationId = "listDevelopmentMail", summary = "List the development sink's mail", description = """
			The mails written to the development sink (no SMTP server configured), newest first. 404 with an SMTP \
			server.""")
	PageResponse<MailFolder.Mail> list(@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		var folder = folder();
		List<MailFolder.Mail> items = folder.newest(page * size, size);
		return new PageResponse<>(items, page, size, folder.count());
	}

	/** The mail as written ({@code message/rfc822}, what a mail client opens). */
	@GetMapping("/{id}")
	@Operation(operationId = "getDevelopmentMail", summary = "Read a mail of the development sink",
			description = "The mail as written, for a mail client. 404 with an SMTP server.")
	@ApiResponse(responseCode = "200", description = "The mail", content = @Content(mediaType = "message/rfc822",
			schema = @Schema(type = "string", format = "binary")))
	ResponseEntity<byte[]> raw(@Parameter(description = "The mail's id, from the list") @PathVariable String id) {
		return folder().raw(id)
			.map(bytes -> ResponseEntity.ok().contentType(MediaType.parseMediaType("message/rfc822")).body(bytes))
			.orElseThrow(() -> new NotFoundException("Mail", id));
	}

	private MailFolder folder() {
		if (mail instanceof MailFolder folder) {
			return folder;
		}
		throw new ResponseStatusException(HttpStatus.NOT_FOUND,
				"No development mail sink: mail goes to the SMTP server of SPRING_MAIL_HOST");
	}
}
