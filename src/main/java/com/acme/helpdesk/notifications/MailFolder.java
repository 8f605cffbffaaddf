package com.acme.helpdesk.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.MimeMailMessage;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * The development mail sink: with no SMTP server configured, each notification mail is written to a folder as one
 * RFC 822 file ({@code <time>-<id>.eml}, readable by any mail client) and the newest {@code keep} are kept. The
 * operator reads them there or at {@code GET /ops/v1/dev-mail} ({@link DevMailController}).
 */
final class MailFolder implements OutgoingMail {

	/** A mail as the sink lists it; {@code id} names its file. */
	@Schema(name = "DevelopmentMail", description = "A mail of the development sink")
	record Mail(
			@Schema(description = "The mail's id (its file's name)",
					example = "20261206T101530123Z-0b6e2c9e-3c4f-4b8e-9a57-5d1c1f0e2a11") String id,
			@Schema(description = "The sender") String from,
			@Schema(description = "The recipients") List<String> to,
			@Schema(description = "The subject") String subject,
			@Schema(description = "When it was written") Instant sentAt,
			@Schema(description = "The text") String body) {
	}

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f-]{36}");

	private static final String SUFFIX = ".eml";

	private final Path directory;
	private final int keep;
	private final Clock clock;
	private final Session session = Session.getInstance(new Properties());

	MailFolder(Path directory, int keep, Clock clock) {
		this.directory = directory.toAbsolutePath().normalize();
		this.keep = keep;
		this.clock = clock;
	}

	Path directory() {
		return directory;
	}

	@Override
	public void send(SimpleMailMessage message) {
		var now = clock.instant();
		var mime = new MimeMessage(session);
		var mail = new MimeMailMessage(mime);
		message.copyTo(mail);
		mail.setSentDate(Date.from(now));
		var id = FILE_TIME.format(now) + "-" + UUID.randomUUID();
		try {
			mime.saveChanges();
			Files.createDirectories(directory);
			var written = directory.resolve(id + ".tmp");
			try (var out = Files.newOutputStream(written)) {
				mime.writeTo(out);
			}
			// a reader lists only whole files
			Files.move(written, directory.resolve(id + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException | MessagingException e) {
			throw new MailSendException("Mail to " + String.join(", ", message.getTo()) + " was not written to "
					+ directory + ": " + e, e);
		}
		prune();
	}

	/** The newest mails first; {@code offset} and {@code limit} select a page of them. */
	List<Mail> newest(int offset, int limit) {
		return files().skip(offset).limit(limit).map(this::read).flatMap(Optional::stream).toList();
	}

	long count() {
		return files().count();
	}

	/** The raw message of a listed mail; empty for an id that names none. */
	Optional<byte[]> raw(String id) {
		if (!ID.matcher(id).matches()) {
			return Optional.empty();
		}
		try {
			return Optional.of(Files.readAllBytes(directory.resolve(id + SUFFIX)));
		}
		catch (NoSuchFileException e) {
			return Optional.empty();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The mail files, newest first (their names start with the time they were written). */
	private Stream<Path> files() {
		if (!Files.isDirectory(directory)) {
			return Stream.empty();
		}
		try (var listing = Files.list(directory)) {
			return listing.filter(path -> path.getFileName().toString().endsWith(SUFFIX))
				.filter(path -> ID.matcher(id(path)).matches())
				.sorted(Comparator.comparing((Path path) -> path.getFileName().toString()).reversed())
				.toList()
				.stream();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private void prune() {
		files().skip(keep).forEach(path -> {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException e) {
				// another writer pruned it, or it is held open: the next mail tries again
			}
		});
	}

	/** The mail of a file; empty when it went meanwhile (pruned). */
	private Optional<Mail> read(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			var message = new MimeMessage(session, in);
			var content = message.getContent();
			return Optional.of(new Mail(id(file), addresses(message.getFrom()).stream().findFirst().orElse(null),
					addresses(message.getAllRecipients()), message.getSubject(),
					message.getSentDate() == null ? null : message.getSentDate().toInstant(),
					content instanceof String text ? text : String.valueOf(content)));
		}
		catch (NoSuchFileException e) {
			return Optional.empty();
		}
		catch (IOException | MessagingException e) {
			throw new MailPreparationException("Could not read " + file + ": " + e, e);
		}
	}

	private static List<String> addresses(Address[] addresses) {
		return addresses == null ? List.of() : Arrays.stream(addresses).map(Address::toString).toList();
	}

	private static String id(Path file) {
		var name = file.getFileName().toString();
		return name.substring(0, name.length() - SUFFIX.length());
	}
}
