package com.acme.helpdesk.tenancy;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@RestController
class MerchantController {

	record CreateMerchant(@NotBlank @Size(max = 200) String name) {
	}

	private final Merchants merchants;

	MerchantController(Merchants merchants) {
		this.merchants = merchants;
	}

	@PostMapping("/ops/v1/merchants")
	@ResponseStatus(HttpStatus.CREATED)
	Merchants.CreatedMerchant create(@Valid @RequestBody CreateMerchant request) {
		return merchants.create(request.name().strip());
	}
}
