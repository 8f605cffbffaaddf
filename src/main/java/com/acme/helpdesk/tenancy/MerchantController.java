package com.acme.helpdesk.tenancy;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@RestController
@Tag(name = "Merchants")
class MerchantController {

	@Schema(description = "A new merchant")
	record CreateMerchant(
			@Schema(description = "The merchant's name", example = "Acme") @NotBlank @Size(max = 200) String name) {
	}

	private final Merchants merchants;

	MerchantController(Merchants merchants) {
		this.merchants = merchants;
	}

	@PostMapping("/ops/v1/merchants")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createMerchant", summary = "Create a merchant", description = """
			A merchant (a tenant) with its first admin API key, shown only in this answer.""")
	Merchants.CreatedMerchant create(@Valid @RequestBody CreateMerchant request) {
		return merchants.create(request.name().strip());
	}
}
