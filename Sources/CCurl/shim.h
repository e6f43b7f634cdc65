#include <curl/curl.h>

// curl_easy_setopt is variadic, which Swift cannot call; one typed entry per argument kind.
static inline CURLcode appjudge_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode appjudge_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode appjudge_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode appjudge_curl_set_size(CURL *curl, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(curl, option, value);
}
typedef size_t (*appjudge_curl_data_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode appjudge_curl_set_callback(CURL *curl, CURLoption option, appjudge_curl_data_callback callback) {
    return curl_easy_setopt(curl, option, callback);
}
static inline long appjudge_curl_response_code(CURL *curl) {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
}
