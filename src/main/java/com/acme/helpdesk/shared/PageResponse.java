package com.acme.helpdesk.shared;

import java.util.List;
import java.util.function.Function;

import org.springframework.data.domain.Page;

import io.swagger.v3.oas.annotations.media.Schema;

/** The shape of every list the API answers: {@code {"items", "page", "size", "totalItems"}}. */
@Schema(description = "One page of a list")
public record PageResponse<T>(@Schema(description = "The items of this page") List<T> items,
		@Schema(description = "The page, from 0") int page, @Schema(description = "Items per page") int size,
		@Schema(description = "Items in the whole list") long totalItems) {

	/** The highest page number a list accepts: page times size stays far below an {@code int} offset. */
	public static final int MAX_PAGE = 1_000_000;

	public static <S, T> PageResponse<T> of(Page<S> page, Function<S, T> mapper) {
		return new PageResponse<>(page.getContent().stream().map(mapper).toList(), page.getNumber(), page.getSize(),
				page.getTotalElements());
	}
}
