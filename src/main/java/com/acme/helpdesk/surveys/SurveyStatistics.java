package com.acme.helpdesk.surveys;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Survey statistics of one merchant over surveys requested in {@code [from, to)}: counts, response rate (responses
 * per request) and satisfaction (share of answers rating 4 or 5), for the merchant, per agent and per category.
 * Rates are {@code null} where nothing was requested or answered.
 */
@Component
class SurveyStatistics {

	record Figures(long requested, long responses, BigDecimal responseRate, BigDecimal satisfaction,
			BigDecimal averageRating) {
	}

	@Schema(name = "SurveyAgentFigures", description = "The survey figures of one agent's tickets")
	record AgentFigures(@Schema(description = "The agent (null: tickets without one)", nullable = true) UUID agentId,
			@Schema(description = "Surveys sent")
			long requested, @Schema(description = "Surveys answered") long responses,
			@Schema(description = "`responses / requested` (null when none was sent)", nullable = true, example = "0.5")
			BigDecimal responseRate,
			@Schema(description = "Share of answers rating 4 or 5 (null when none was answered)", nullable = true,
					example = "0.75")
			BigDecimal satisfaction,
			@Schema(description = "The average rating (null when none was answered)", nullable = true, example = "4.25")
			BigDecimal averageRating) {
	}

	@Schema(name = "SurveyCategoryFigures", description = "The survey figures of one category's tickets")
	record CategoryFigures(
			@Schema(description = "The category (null: tickets without one)", nullable = true) UUID categoryId,
			@Schema(description = "Surveys sent")
			long requested, @Schema(description = "Surveys answered") long responses,
			@Schema(description = "`responses / requested` (null when none was sent)", nullable = true, example = "0.5")
			BigDecimal responseRate,
			@Schema(description = "Share of answers rating 4 or 5 (null when none was answered)", nullable = true,
					example = "0.75")
			BigDecimal satisfaction,
			@Schema(description = "The average rating (null when none was answered)", nullable = true, example = "4.25")
			BigDecimal averageRating) {
	}

	@Schema(name = "SurveyStats", description = "Survey figures over the surveys sent in `[from, to)`")
	record Stats(@Schema(description = "The start of the range (inclusive)") Instant from,
			@Schema(description = "The end of the range (exclusive)") Instant to,
			@Schema(description = "Surveys sent")
			long requested, @Schema(description = "Surveys answered") long responses,
			@Schema(description = "`responses / requested` (null when none was sent)", nullable = true, example = "0.5")
			BigDecimal responseRate,
			@Schema(description = "Share of answers rating 4 or 5 (null when none was answered)", nullable = true,
					example = "0.75")
			BigDecimal satisfaction,
			@Schema(description = "The average rating (null when none was answered)", nullable = true, example = "4.25")
			BigDecimal averageRating,
			@Schema(description = "Per agent") List<AgentFigures> byAgent,
			@Schema(description = "Per category") List<CategoryFigures> byCategory) {
	}

	private static final String FIGURES = """
			count(*), count(answered_at), count(*) FILTER (WHERE rating >= 4), avg(rating)""";

	private final JdbcClient jdbc;

	SurveyStatistics(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Stats of(UUID merchantId, Instant from, Instant to) {
		var params = new Object[] { merchantId, Timestamp.from(from), Timestamp.from(to) };
		var where = " FROM survey WHERE merchant_id = ? AND created_at >= ? AND created_at < ?";
		var total = jdbc.sql("SELECT " + FIGURES + where)
			.params(params)
			.query((rs, row) -> figures(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)))
			.single();
		var byAgent = jdbc.sql("SELECT agent_id, " + FIGURES + where + " GROUP BY agent_id ORDER BY agent_id NULLS LAST")
			.params(params)
			.query((rs, row) -> {
				var f = figures(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBigDecimal(5));
				return new AgentFigures(rs.getObject(1, UUID.class), f.requested(), f.responses(), f.responseRate(),
						f.satisfaction(), f.averageRating());
			})
			.list();
		var byCategory = jdbc
			.sql("SELECT category_id, " + FIGURES + where + " GROUP BY category_id ORDER BY category_id NULLS LAST")
			.params(params)
			.query((rs, row) -> {
				var f = figures(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBigDecimal(5));
				return new CategoryFigures(rs.getObject(1, UUID.class), f.requested(), f.responses(), f.responseRate(),
						f.satisfaction(), f.averageRating());
			})
			.list();
		return new Stats(from, to, total.requested(), total.responses(), total.responseRate(), total.satisfaction(),
				total.averageRating(), byAgent, byCategory);
	}

	private static Figures figures(long requested, long responses, long satisfied, BigDecimal average) {
		return new Figures(requested, responses, ratio(responses, requested), ratio(satisfied, responses),
				average == null ? null : average.setScale(2, RoundingMode.HALF_UP));
	}

	private static BigDecimal ratio(long part, long whole) {
		return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
	}
}
