package com.acme.helpdesk.tenancy;

import java.io.IOException;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import com.acme.helpdesk.shared.ProblemType;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Two doors: {@code /ops/v1/**} and the non-public actuator endpoints take the operations token;
 * {@code /api/v1/**} takes a merchant's API key. Both as {@code Authorization: Bearer <token>}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain operations(HttpSecurity http, OpsToken opsToken, ObjectMapper objectMapper) throws Exception {
		var entryPoint = unauthorized(objectMapper, "Missing or wrong operations token");
		return stateless(http, entryPoint).securityMatcher("/ops/**", "/actuator/**")
			.addFilterBefore(new BearerFilter(entryPoint, token -> opsToken.matches(token) ? new OpsAuthentication() : null),
					BasicAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.anyRequest()
				.authenticated())
			.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain api(HttpSecurity http, ApiKeys apiKeys, ObjectMapper objectMapper) throws Exception {
		var entryPoint = unauthorized(objectMapper, "Missing or wrong API key");
		return stateless(http, entryPoint)
			.addFilterBefore(new BearerFilter(entryPoint,
					token -> apiKeys.resolve(token).map(TenantAuthentication::new).orElse(null)),
					BasicAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests.requestMatchers("/api/**").authenticated().anyRequest().permitAll())
			.build();
	}

	private static HttpSecurity stateless(HttpSecurity http, AuthenticationEntryPoint entryPoint) throws Exception {
		return http.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			.anonymous(anonymous -> anonymous.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint));
	}

	private static AuthenticationEntryPoint unauthorized(ObjectMapper objectMapper, String detail) {
		return (request, response, exception) -> {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
			problem.setType(ProblemType.UNAUTHORIZED.uri());
			problem.setTitle("Unauthorized");
			problem.setInstance(java.net.URI.create(request.getRequestURI()));
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			objectMapper.writeValue(response.getOutputStream(), problem);
		};
	}

	/** Authenticates {@code Authorization: Bearer <token>}; a token that resolves to nothing answers 401 at once. */
	private static final class BearerFilter extends OncePerRequestFilter {

		private final AuthenticationEntryPoint entryPoint;
		private final java.util.function.Function<String, AbstractAuthenticationToken> resolver;

		BearerFilter(AuthenticationEntryPoint entryPoint,
				java.util.function.Function<String, AbstractAuthenticationToken> resolver) {
			this.entryPoint = entryPoint;
			this.resolver = resolver;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			var header = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				chain.doFilter(request, response);
				return;
			}
			var authentication = resolver.apply(header.substring(7).strip());
			if (authentication == null) {
				entryPoint.commence(request, response, null);
				return;
			}
			var context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(authentication);
			SecurityContextHolder.setContext(context);
			try {
				chain.doFilter(request, response);
			}
			finally {
				SecurityContextHolder.clearContext();
			}
		}
	}

	private static final class TenantAuthentication extends AbstractAuthenticationToken {

		private final Tenant tenant;

		TenantAuthentication(Tenant tenant) {
			super(List.of(new SimpleGrantedAuthority("ROLE_" + tenant.role().name())));
			this.tenant = tenant;
			setAuthenticated(true);
		}

		@Override
		public Object getCredentials() {
			return "";
		}

		@Override
		public Object getPrincipal() {
			return tenant;
		}
	}

	private static final class OpsAuthentication extends AbstractAuthenticationToken {

		OpsAuthentication() {
			super(List.of(new SimpleGrantedAuthority("ROLE_OPS")));
			setAuthenticated(true);
		}

		@Override
		public Object getCredentials() {
			return "";
		}

		@Override
		public Object getPrincipal() {
			return "operations";
		}
	}
}
