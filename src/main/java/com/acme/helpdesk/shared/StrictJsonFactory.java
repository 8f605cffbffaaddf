package com.acme.helpdesk.shared;

import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;

/** The JSON factory of request bodies: every parser it makes is a {@link StrictJsonParser}. */
class StrictJsonFactory extends JsonFactory {

	private final int maxArrayItems;

	StrictJsonFactory(JsonFactory source, int maxArrayItems) {
		super(source, null);
		this.maxArrayItems = maxArrayItems;
	}

	@Override
	public JsonFactory copy() {
		return new StrictJsonFactory(this, maxArrayItems);
	}

	@Override
	protected JsonParser _createParser(InputStream in, IOContext context) throws IOException {
		return strict(super._createParser(in, context));
	}

	@Override
	protected JsonParser _createParser(Reader reader, IOContext context) throws IOException {
		return strict(super._createParser(reader, context));
	}

	@Override
	protected JsonParser _createParser(char[] data, int offset, int length, IOContext context, boolean recyclable)
			throws IOException {
		return strict(super._createParser(data, offset, length, context, recyclable));
	}

	@Override
	protected JsonParser _createParser(byte[] data, int offset, int length, IOContext context) throws IOException {
		return strict(super._createParser(data, offset, length, context));
	}

	@Override
	protected JsonParser _createParser(DataInput input, IOContext context) throws IOException {
		return strict(super._createParser(input, context));
	}

	private JsonParser strict(JsonParser parser) {
		return new StrictJsonParser(parser, maxArrayItems);
	}
}
