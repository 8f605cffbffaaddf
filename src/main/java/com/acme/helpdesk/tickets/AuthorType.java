package com.acme.helpdesk.tickets;

public enum AuthorType {
	CUSTOMER, AGENT, SYSTEM
}
