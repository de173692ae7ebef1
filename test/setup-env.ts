// Tests never look for a GCE metadata server or real Google credentials.
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.GOOGLE_APPLICATION_CREDENTIALS = '';
// Reports follow the locale: tests read them in English unless they ask for a language.
process.env.LANG = 'C.UTF-8';
delete process.env.LC_ALL;
delete process.env.LC_MESSAGES;
