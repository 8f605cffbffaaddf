package com.acme.helpdesk.shared;

import java.util.List;
import java.util.function.Function;

import org.springframework.data.domain.Page;

/** The shape of every list the API answers: {@code {"items", "page", "size", "totalItems"}}. */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems) {

	/** The highest page number a list accepts: page times size stays far below an {@code int} offset. */
	public static final int MAX_PAGE = 1_000_000;

	public static <S, T> PageResponse<T> of(Page<S> page, Function<S, T> mapper) {
		return new PageResponse<>(page.getContent().stream().map(mapper).toList(), page.getNumber(), page.getSize(),
				page.getTotalElements());
	}
}
