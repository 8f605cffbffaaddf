package com.acme.helpdesk.shared;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

/**
 * Reads a request body token by token and refuses, naming the field, what the database or a reader could not take:
 * NUL characters and unpaired surrogates in strings and names, non-finite numbers ({@code 1e999999}), arrays longer
 * than the limit; and names the field of Jackson's own refusals (stream-read constraints, duplicate keys, bad syntax).
 * Every other {@code next...} method of {@link JsonParser} goes through {@link #nextToken()}.
 */
class StrictJsonParser extends JsonParserDelegate {

	private final int maxArrayItems;
	private int[] arrayItems = new int[16];
	private int arrayDepth;

	StrictJsonParser(JsonParser delegate, int maxArrayItems) {
		super(delegate);
		this.maxArrayItems = maxArrayItems;
	}

	@Override
	public JsonToken nextToken() throws IOException {
		return advance(false);
	}

	@Override
	public JsonToken nextValue() throws IOException {
		return advance(true);
	}

	/** Skips through {@link #nextToken()}, so skipped content is checked and the array counts stay right. */
	@Override
	public JsonParser skipChildren() throws IOException {
		var current = currentToken();
		if (current != JsonToken.START_OBJECT && current != JsonToken.START_ARRAY) {
			return this;
		}
		for (int open = 1; open > 0;) {
			var token = nextToken();
			if (token == null) {
				return this;
			}
			open += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
		}
		return this;
	}

	private JsonToken advance(boolean value) throws IOException {
		try {
			return check(value ? delegate.nextValue() : delegate.nextToken());
		}
		catch (RefusedJsonException e) {
			throw e;
		}
		catch (StreamConstraintsException e) {
			var nesting = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth");
			throw new RefusedJsonException(this, nesting ? topField() : path(), constraintMessage(e.getOriginalMessage()));
		}
		catch (JsonParseException e) {
			var message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
			if (message.startsWith("Duplicate field")) {
				throw new RefusedJsonException(this, path(), "must not be given twice");
			}
			var where = path();
			throw new RefusedJsonException(this, "body",
					"Malformed JSON" + ("body".equals(where) ? "" : " at " + where) + ": " + message);
		}
	}

	private JsonToken check(JsonToken token) throws IOException {
		if (token == null) {
			return null;
		}
		if (arrayDepth > 0 && token != JsonToken.END_ARRAY && token != JsonToken.END_OBJECT
				&& token != JsonToken.FIELD_NAME && containerOf(token).inArray()) {
			// a value, or the start of one, directly in the innermost open array
			if (++arrayItems[arrayDepth - 1] > maxArrayItems) {
				throw new RefusedJsonException(this, render(containerOf(token).getParent()),
						"must have at most %d items".formatted(maxArrayItems));
			}
		}
		switch (token) {
			case START_ARRAY -> {
				if (arrayDepth == arrayItems.length) {
					arrayItems = java.util.Arrays.copyOf(arrayItems, arrayDepth * 2);
				}
				arrayItems[arrayDepth++] = 0;
			}
			case END_ARRAY -> arrayDepth--;
			case VALUE_STRING -> checkText(delegate.getTextCharacters(), delegate.getTextOffset(),
					delegate.getTextLength(), path());
			case FIELD_NAME -> {
				var name = delegate.currentName();
				checkText(name.toCharArray(), 0, name.length(), parentPath());
			}
			case VALUE_NUMBER_FLOAT -> {
				if (delegate.getNumberType() != NumberType.BIG_DECIMAL && !Double.isFinite(delegate.getDoubleValue())) {
					throw new RefusedJsonException(this, path(), "must be a finite number");
				}
			}
			default -> {
			}
		}
		return token;
	}

	private JsonStreamContext containerOf(JsonToken token) {
		var context = delegate.getParsingContext();
		return token.isStructStart() && context.getParent() != null ? context.getParent() : context;
	}

	private void checkText(char[] text, int offset, int length, String field) throws JsonParseException {
		for (int i = offset, end = offset + length; i < end; i++) {
			char c = text[i];
			if (c == 0) {
				throw new RefusedJsonException(this, field, "must not contain NUL characters");
			}
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
					i++;
				}
				else {
					throw new RefusedJsonException(this, field, "must not contain unpaired surrogate characters");
				}
			}
		}
	}

	private static String constraintMessage(String message) {
		var lower = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
		var limit = message == null ? "" : message.replaceAll("(?s).*maximum allowed \\(([0-9,]+).*", "$1");
		if (lower.contains("nesting depth")) {
			return "must not nest deeper than %s levels".formatted(limit);
		}
		if (lower.contains("string value length")) {
			return "must be at most %s characters".formatted(limit);
		}
		if (lower.contains("number value length")) {
			return "must be a number of at most %s digits".formatted(limit);
		}
		if (lower.contains("name length")) {
			return "must have field names of at most %s characters".formatted(limit);
		}
		if (lower.contains("token count")) {
			return "must hold at most %s JSON values".formatted(limit);
		}
		return "is too large";
	}

	/** The path of the current token, as {@code a.b[2].c}; {@code body} at the root. */
	private String path() {
		return render(delegate.getParsingContext());
	}

	private String parentPath() {
		var context = delegate.getParsingContext();
		return render(context.getParent() == null ? context : context.getParent());
	}

	/** The outermost field: where a too-deep structure starts, without the whole chain of its levels. */
	private String topField() {
		var context = delegate.getParsingContext();
		JsonStreamContext top = null;
		for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
			top = c;
		}
		if (top == null) {
			return "body";
		}
		return top.inObject() && top.getCurrentName() != null ? top.getCurrentName()
				: top.inArray() ? "[" + Math.max(top.getCurrentIndex(), 0) + "]" : "body";
	}

	private static String render(JsonStreamContext context) {
		var parts = new java.util.ArrayDeque<String>();
		for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
			if (c.inObject()) {
				if (c.getCurrentName() != null) {
					parts.push("." + c.getCurrentName());
				}
			}
			else if (c.inArray()) {
				parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
			}
		}
		var path = String.join("", parts);
		if (path.startsWith(".")) {
			path = path.substring(1);
		}
		return path.isEmpty() ? "body" : path;
	}
}
