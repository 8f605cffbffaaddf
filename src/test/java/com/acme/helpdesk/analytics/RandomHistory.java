package com.acme.helpdesk.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;

import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.tickets.AuthorType;
import com.acme.helpdesk.tickets.Priority;
import com.acme.helpdesk.tickets.TicketStatus;

/**
 * A random but seeded, realistic history of one merchant's tickets, played in time order on the {@link AnalyticsFixture}'s
 * clock through the real use cases: creations with categories, tags and priorities over some days; assignments,
 * reassignments and returns to the pool; customer messages, public agent replies and internal notes; pending and
 * resumed, resolved, reopened (by the customer's message or by hand) and closed tickets; survey answers; and every
 * half hour the SLA monitor's sweep (warnings, breaches) and the due escalation levels (notify, raise priority).
 * Each ticket draws its next step from its current state, so every step is one the rules allow.
 */
class RandomHistory {

	/** A point between steps where the test may act (count, replay), with the history's random source. */
	interface Pause {

		void at(Instant now, Random random);
	}

	private record Step(Instant at, int ticket) {
	}

	private static final class Life {

		UUID id;
		TicketStatus status = TicketStatus.OPEN;
		UUID assignee;
		boolean surveyed;
		int stepsLeft;
	}

	private static final Duration SWEEP_EVERY = Duration.ofMinutes(30);

	private final AnalyticsFixture fixture;
	private final Random random;
	private final Merchant merchant;
	private final List<UUID> agents = new ArrayList<>();
	private final List<UUID> categories = new ArrayList<>();
	private final List<UUID> tags = new ArrayList<>();
	private final List<UUID> ticketIds = new ArrayList<>();
	private int steps;

	RandomHistory(AnalyticsFixture fixture, long seed) {
		this.fixture = fixture;
		this.random = new Random(seed);
		this.merchant = fixture.newMerchant();
		for (int i = 0; i < 6; i++) {
			agents.add(fixture.agent(merchant, "Agent" + i));
		}
		for (int i = 0; i < 4; i++) {
			categories.add(fixture.category(merchant, "Category " + i));
		}
		for (int i = 0; i < 6; i++) {
			tags.add(fixture.tag(merchant, "tag-" + i));
		}
		fixture.slaPolicy(merchant, "LOW", Duration.ofHours(4), Duration.ofHours(48), null);
		fixture.slaPolicy(merchant, "MEDIUM", Duration.ofHours(1), Duration.ofHours(8),
				AnalyticsFixture.BERLIN_OFFICE_HOURS);
		fixture.slaPolicy(merchant, "HIGH", Duration.ofMinutes(30), Duration.ofHours(4), null);
		fixture.slaPolicy(merchant, "URGENT", Duration.ofMinutes(15), Duration.ofHours(2),
				AnalyticsFixture.BERLIN_OFFICE_HOURS);
		fixture.escalationPolicy(merchant, agents.get(0));
	}

	Merchant merchant() {
		return merchant;
	}

	List<UUID> ticketIds() {
		return ticketIds;
	}

	int steps() {
		return steps;
	}

	/**
	 * Plays {@code tickets} tickets created over {@code days} days from {@code start}; {@code pause} runs after every
	 * {@code pauseEvery} steps.
	 */
	void play(Instant start, int tickets, int days, int pauseEvery, Pause pause) {
		var lives = new ArrayList<Life>();
		var queue = new PriorityQueue<Step>((a, b) -> a.at().compareTo(b.at()) != 0 ? a.at().compareTo(b.at())
				: Integer.compare(a.ticket(), b.ticket()));
		var span = Duration.ofDays(days).toSeconds();
		for (int i = 0; i < tickets; i++) {
			var life = new Life();
			life.stepsLeft = 1 + random.nextInt(6);
			lives.add(life);
			queue.add(new Step(start.plusSeconds((long) (random.nextDouble() * span)), i));
		}
		var nextSweep = start.plus(SWEEP_EVERY);
		while (!queue.isEmpty()) {
			var step = queue.poll();
			while (!nextSweep.isAfter(step.at())) {
				fixture.clock.set(nextSweep);
				fixture.awaitListeners(merchant.id());
				fixture.sla.sweep();
				fixture.sla.escalateDue(merchant.id());
				nextSweep = nextSweep.plus(SWEEP_EVERY);
			}
			fixture.clock.set(step.at());
			var life = lives.get(step.ticket());
			if (act(life)) {
				queue.add(new Step(step.at().plusSeconds(60 + (long) (random.nextDouble() * random.nextDouble() * 4 * 3600)),
						step.ticket()));
			}
			steps++;
			if (pause != null && steps % pauseEvery == 0) {
				pause.at(step.at(), random);
			}
		}
		fixture.awaitListeners(merchant.id());
	}

	/** One step of a ticket's life; answers whether it has more. */
	private boolean act(Life life) {
		var id = merchant.id();
		if (life.id == null) {
			var ticketTags = new ArrayList<UUID>();
			for (var tag : tags) {
				if (random.nextInt(4) == 0) {
					ticketTags.add(tag);
				}
			}
			var category = random.nextInt(5) == 0 ? null : pick(categories);
			var priority = Priority.values()[random.nextInt(Priority.values().length)];
			life.id = fixture.tickets.create(id, "Ticket", category, ticketTags, priority);
			ticketIds.add(life.id);
			return true;
		}
		if (life.status == TicketStatus.CLOSED || life.stepsLeft-- <= 0) {
			if ((life.status == TicketStatus.RESOLVED || life.status == TicketStatus.CLOSED) && !life.surveyed
					&& random.nextBoolean()) {
				survey(life);
			}
			return false;
		}
		if (life.status == TicketStatus.RESOLVED) {
			switch (random.nextInt(6)) {
				case 0 -> customerMessage(life);
				case 1 -> status(life, TicketStatus.OPEN);
				case 2, 3 -> status(life, TicketStatus.CLOSED);
				default -> survey(life);
			}
			return true;
		}
		int roll = random.nextInt(100);
		if (life.assignee == null && roll < 40) {
			assign(life, pick(agents));
		}
		else if (roll < 45 && life.assignee != null) {
			assign(life, pick(agents)); // a reassignment (or none, to the same agent)
		}
		else if (roll < 48 && life.assignee != null && life.status == TicketStatus.OPEN) {
			if (fixture.tickets.returnToPool(id, life.id, life.assignee)) {
				life.assignee = null;
			}
		}
		else if (roll < 62) {
			customerMessage(life);
		}
		else if (roll < 74) {
			fixture.tickets.addMessage(id, life.id, AuthorType.AGENT, life.assignee != null ? life.assignee : pick(agents),
					random.nextInt(4) == 0);
		}
		else if (roll < 80 && life.status != TicketStatus.PENDING) {
			status(life, TicketStatus.PENDING);
		}
		else if (roll < 84 && life.status != TicketStatus.IN_PROGRESS) {
			status(life, TicketStatus.IN_PROGRESS);
		}
		else if (roll < 97) {
			status(life, TicketStatus.RESOLVED);
		}
		else {
			status(life, TicketStatus.CLOSED);
		}
		return true;
	}

	private void assign(Life life, UUID agent) {
		fixture.tickets.assign(merchant.id(), life.id, agent);
		life.assignee = agent;
	}

	private void customerMessage(Life life) {
		fixture.tickets.addMessage(merchant.id(), life.id, AuthorType.CUSTOMER, null, false);
		if (life.status == TicketStatus.PENDING || life.status == TicketStatus.RESOLVED) {
			life.status = TicketStatus.OPEN;
		}
	}

	private void status(Life life, TicketStatus status) {
		fixture.tickets.changeStatus(merchant.id(), life.id, status);
		life.status = status;
	}

	private void survey(Life life) {
		if (!life.surveyed) {
			life.surveyed = true;
			fixture.surveys.answer(merchant.id(), life.id, 1 + random.nextInt(5));
		}
	}

	private <T> T pick(List<T> values) {
		return values.get(random.nextInt(values.size()));
	}
}
