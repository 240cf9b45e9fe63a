//! The nginx configuration of the web tier, written once for every deployment: the
//! operator's ConfigMap and the docker-compose file both hold this text (a test keeps the
//! committed compose copy equal to it). nginx serves the built web app and passes `/api/`
//! (WebSocket upgrades included, for `/api/v1/ws`) to the API.

/// Where the rendered config sends `/api/`, and how large a body it passes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxConfig<'a> {
    /// `host:port` of the API.
    pub api: &'a str,
    /// Largest request body, in MiB: a little above the API's own import limit, so that an
    /// oversize bank file gets the API's 413 with its explanation, not nginx's bare one.
    pub max_body_mib: i32,
}

/// Port nginx listens on inside its container (unprivileged).
pub const LISTEN_PORT: u16 = 8080;

/// Pure: the whole `nginx.conf`. Every writable path is under `/tmp`, so nginx runs as
/// a non-root user on a read-only root filesystem.
pub fn render(config: &NginxConfig<'_>) -> String {
    let NginxConfig { api, max_body_mib } = config;
    format!(
        r#"# nginx.conf of the FinanceTracker web tier, rendered by the operator (do not edit by hand).
worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;

events {{
    worker_connections 1024;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;
    server_tokens off;
    sendfile on;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml;

    client_body_temp_path /tmp/nginx-client-body;
    proxy_temp_path /tmp/nginx-proxy;
    fastcgi_temp_path /tmp/nginx-fastcgi;
    uwsgi_temp_path /tmp/nginx-uwsgi;
    scgi_temp_path /tmp/nginx-scgi;

    # The ingress controller sits in a private network and passes the client's address on;
    # the API rate-limits sign-ins by it (TRUST_FORWARDED_FOR).
    set_real_ip_from 10.0.0.0/8;
    set_real_ip_from 172.16.0.0/12;
    set_real_ip_from 192.168.0.0/16;
    set_real_ip_from fc00::/7;
    real_ip_header X-Forwarded-For;
    real_ip_recursive on;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      '';
    }}
    map $http_x_forwarded_proto $forwarded_proto {{
        default $http_x_forwarded_proto;
        ''      $scheme;
    }}

    upstream financetracker_api {{
        server {api};
        keepalive 16;
    }}

    server {{
        # IPv4 only: a pod whose kernel has IPv6 switched off could not bind [::].
        listen {LISTEN_PORT};
        root /usr/share/nginx/html;
        client_max_body_size {max_body_mib}m;

        location = /healthz {{
            access_log off;
            default_type text/plain;
            return 200 "ok\n";
        }}

        location /api/ {{
            proxy_pass http://financetracker_api;
            proxy_http_version 1.1;
            # As the browser sent it, port included: the API checks a WebSocket's Origin
            # against it.
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $forwarded_proto;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            # Uploads and exports stream through; a WebSocket may stay open for an hour idle.
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
        }}

        location /assets/ {{
            expires 1y;
            add_header Cache-Control "public, immutable" always;
            add_header X-Content-Type-Options nosniff always;
            try_files $uri =404;
        }}

        location / {{
            add_header Cache-Control "no-cache" always;
            add_header X-Content-Type-Options nosniff always;
            add_header X-Frame-Options DENY always;
            add_header Referrer-Policy no-referrer always;
            add_header Content-Security-Policy "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'" always;
            try_files $uri $uri/ /index.html;
        }}
    }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_traffic_and_websocket_upgrades_go_to_the_api_and_other_paths_to_the_app() {
        let conf = render(&NginxConfig {
            api: "home-api.money.svc:8080",
            max_body_mib: 51,
        });
        assert!(conf.contains("server home-api.money.svc:8080;"), "{conf}");
        assert!(conf.contains("location /api/ {"));
        assert!(conf.contains("proxy_set_header Upgrade $http_upgrade;"));
        assert!(conf.contains("client_max_body_size 51m;"));
        assert!(conf.contains("try_files $uri $uri/ /index.html;"));
        assert_eq!(conf.matches('{').count(), conf.matches('}').count());
    }
}
