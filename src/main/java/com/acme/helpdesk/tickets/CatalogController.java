package com.acme.helpdesk.tickets;

import java.time.Clock;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.shared.PageResponse;
import com.acme.helpdesk.tenancy.Tenant;
import com.acme.helpdesk.tickets.TicketRequests.CreateCategory;
import com.acme.helpdesk.tickets.TicketRequests.CreateTag;
import com.acme.helpdesk.tickets.TicketViews.CategoryView;
import com.acme.helpdesk.tickets.TicketViews.TagView;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Categories and tags, each listed with its live {@code ticketCount}. */
@RestController
@Validated
class CatalogController {

	private final CategoryRepository categories;
	private final TagRepository tags;
	private final Clock clock;

	CatalogController(CategoryRepository categories, TagRepository tags, Clock clock) {
		this.categories = categories;
		this.tags = tags;
		this.clock = clock;
	}

	@PostMapping("/api/v1/categories")
	@ResponseStatus(HttpStatus.CREATED)
	@Transactional
	@Tag(name = "Categories")
	@Operation(operationId = "createCategory", summary = "Create a category", description = """
			A category with its routing: new tickets of a `LOAD_BALANCED` or `ROUND_ROBIN` category are assigned to its \
			online agents automatically. Needs an admin key.""")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	@ApiResponse(responseCode = "409", description = "A category with this name exists")
	CategoryView createCategory(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody CreateCategory request) {
		tenant.requireAdmin();
		var name = request.name().strip();
		if (categories.existsByMerchantIdAndNameIgnoreCase(tenant.merchantId(), name)) {
			throw new ConflictException("A category named '%s' exists already".formatted(name));
		}
		return CategoryView.of(categories
			.save(new Category(tenant.merchantId(), name, request.routing().strategy(), clock.instant())));
	}

	@GetMapping("/api/v1/categories")
	@Tag(name = "Categories")
	@Operation(operationId = "listCategories", summary = "List categories",
			description = "The merchant's categories, by name.")
	PageResponse<CategoryView> categories(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return PageResponse.of(categories.findByMerchantIdOrderByName(tenant.merchantId(), PageRequest.of(page, size)),
				CategoryView::of);
	}

	@GetMapping("/api/v1/categories/{id}")
	@Tag(name = "Categories")
	@Operation(operationId = "getCategory", summary = "Read a category",
			description = "One category, with its live `ticketCount`.")
	CategoryView category(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "The category's id")
			@org.springframework.web.bind.annotation.PathVariable java.util.UUID id) {
		return categories.findByIdAndMerchantId(id, tenant.merchantId())
			.map(CategoryView::of)
			.orElseThrow(() -> new com.acme.helpdesk.shared.NotFoundException("Category", id));
	}

	@PostMapping("/api/v1/tags")
	@ResponseStatus(HttpStatus.CREATED)
	@Transactional
	@Tag(name = "Tags")
	@Operation(operationId = "createTag", summary = "Create a tag",
			description = "A tag tickets can carry. Needs an admin key.")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	@ApiResponse(responseCode = "409", description = "A tag with this name exists")
	TagView createTag(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody CreateTag request) {
		tenant.requireAdmin();
		var name = request.name().strip();
		if (tags.existsByMerchantIdAndNameIgnoreCase(tenant.merchantId(), name)) {
			throw new ConflictException("A tag named '%s' exists already".formatted(name));
		}
		return TagView.of(tags.save(new com.acme.helpdesk.tickets.Tag(tenant.merchantId(), name, clock.instant())));
	}

	@GetMapping("/api/v1/tags")
	@Tag(name = "Tags")
	@Operation(operationId = "listTags", summary = "List tags", description = "The merchant's tags, by name.")
	PageResponse<TagView> tags(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return PageResponse.of(tags.findByMerchantIdOrderByName(tenant.merchantId(), PageRequest.of(page, size)),
				TagView::of);
	}
}
