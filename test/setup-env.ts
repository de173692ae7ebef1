// Tests never look for a GCE metadata server or real Google credentials.
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.GOOGLE_APPLICATION_CREDENTIALS = '';
