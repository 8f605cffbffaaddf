package com.acme.helpdesk.shared;

import java.util.function.IntUnaryOperator;

/**
 * What one run of a retention purge deleted: {@code rows}, in {@code batches} statements of at most the purge's batch
 * size each. Every batch is a statement of its own (its own transaction), so a purge holds its row locks for one
 * batch only, however much it deletes.
 */
public record Purged(long rows, int batches) {

	public static final Purged NOTHING = new Purged(0, 0);

	/**
	 * Calls {@code deleteBatch} with {@code batchSize} until a call deletes fewer rows than that; {@code deleteBatch}
	 * deletes at most that many (oldest first, through an index) and answers how many it deleted.
	 */
	public static Purged inBatches(int batchSize, IntUnaryOperator deleteBatch) {
		long rows = 0;
		int batches = 0;
		int deleted;
		do {
			deleted = deleteBatch.applyAsInt(batchSize);
			rows += deleted;
			batches++;
		}
		while (deleted >= batchSize);
		return new Purged(rows, batches);
	}

	public Purged plus(Purged other) {
		return new Purged(rows + other.rows, batches + other.batches);
	}
}
