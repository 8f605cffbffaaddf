package com.acme.helpdesk.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.modulith.events.support.CompletionMode;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring Modulith's JPA event publication repository, except for the two writes every event makes, which are plain
 * SQL on {@code event_publication}:
 * <ul>
 * <li>new publications are collected in the transaction and inserted in one batch just before it commits (as entities
 * each one went through Hibernate's persist, and every flush of the transaction checked them all again);</li>
 * <li>marking a publication completed by its id is one statement (Hibernate translated the repository's JPQL bulk
 * update anew on every call: a third of the listener threads' CPU).</li>
 * </ul>
 * The rows are those the JPA entity writes; reading them stays with Modulith's repository.
 */
@Primary
@Component
class SqlEventPublicationRepository implements EventPublicationRepository {

	private static final String INSERT = "INSERT INTO event_publication "
			+ "(id, listener_id, event_type, serialized_event, publication_date) VALUES (?, ?, ?, ?, ?)";

	private final EventPublicationRepository jpa;
	private final JdbcClient jdbc;
	private final JdbcTemplate jdbcTemplate;
	private final EventSerializer serializer;
	private final CompletionMode completionMode;

	SqlEventPublicationRepository(@Qualifier("jpaEventPublicationRepository") EventPublicationRepository jpa,
			JdbcClient jdbc, JdbcTemplate jdbcTemplate, EventSerializer serializer, Environment environment) {
		this.jpa = jpa;
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.serializer = serializer;
		this.completionMode = CompletionMode.from(environment);
	}

	@Override
	public void markCompleted(UUID identifier, Instant completionDate) {
		switch (completionMode) {
			case UPDATE -> jdbc.sql("UPDATE event_publication SET completion_date = ? WHERE id = ?")
				.params(Timestamp.from(completionDate), identifier)
				.update();
			case DELETE -> jdbc.sql("DELETE FROM event_publication WHERE id = ?").param(identifier).update();
			case ARCHIVE -> jpa.markCompleted(identifier, completionDate);
		}
	}

	/** Marks many publications completed in one statement. */
	void markCompleted(Collection<UUID> identifiers, Instant completionDate) {
		var ids = identifiers.toArray(UUID[]::new);
		switch (completionMode) {
			case UPDATE -> jdbc.sql("UPDATE event_publication SET completion_date = ? WHERE id = ANY (?)")
				.params(Timestamp.from(completionDate), ids)
				.update();
			case DELETE -> jdbc.sql("DELETE FROM event_publication WHERE id = ANY (?)").param(ids).update();
			case ARCHIVE -> identifiers.forEach(id -> jpa.markCompleted(id, completionDate));
		}
	}

	@Override
	public TargetEventPublication create(TargetEventPublication publication) {
		var row = new Object[] { publication.getIdentifier(), publication.getTargetIdentifier().getValue(),
				publication.getEvent().getClass().getName(), serializer.serialize(publication.getEvent()).toString(),
				Timestamp.from(publication.getPublicationDate()) };
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			rowsOfThisTransaction().add(row);
		}
		else {
			jdbcTemplate.update(INSERT, row);
		}
		return publication;
	}

	@SuppressWarnings("unchecked")
	private List<Object[]> rowsOfThisTransaction() {
		var rows = (List<Object[]>) TransactionSynchronizationManager.getResource(this);
		if (rows == null) {
			var collected = new ArrayList<Object[]>();
			TransactionSynchronizationManager.bindResource(this, collected);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				// a nested REQUIRES_NEW transaction collects (and inserts) its own rows meanwhile
				@Override
				public void suspend() {
					TransactionSynchronizationManager.unbindResource(SqlEventPublicationRepository.this);
				}

				@Override
				public void resume() {
					TransactionSynchronizationManager.bindResource(SqlEventPublicationRepository.this, collected);
				}

				@Override
				public void beforeCommit(boolean readOnly) {
					jdbcTemplate.batchUpdate(INSERT, collected);
				}

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(SqlEventPublicationRepository.this);
				}
			});
			rows = collected;
		}
		return rows;
	}

	@Override
	public void markCompleted(Object event, PublicationTargetIdentifier identifier, Instant completionDate) {
		jpa.markCompleted(event, identifier, completionDate);
	}

	@Override
	public List<TargetEventPublication> findIncompletePublications() {
		return jpa.findIncompletePublications();
	}

	@Override
	public List<TargetEventPublication> findIncompletePublicationsPublishedBefore(Instant instant) {
		return jpa.findIncompletePublicationsPublishedBefore(instant);
	}

	@Override
	public Optional<TargetEventPublication> findIncompletePublicationsByEventAndTargetIdentifier(Object event,
			PublicationTargetIdentifier targetIdentifier) {
		return jpa.findIncompletePublicationsByEventAndTargetIdentifier(event, targetIdentifier);
	}

	@Override
	public List<TargetEventPublication> findCompletedPublications() {
		return jpa.findCompletedPublications();
	}

	@Override
	public void deletePublications(List<UUID> identifiers) {
		jpa.deletePublications(identifiers);
	}

	@Override
	public void deleteCompletedPublications() {
		jpa.deleteCompletedPublications();
	}

	@Override
	public void deleteCompletedPublicationsBefore(Instant instant) {
		jpa.deleteCompletedPublicationsBefore(instant);
	}
}
