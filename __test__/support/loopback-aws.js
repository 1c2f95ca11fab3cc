'use strict';

// A test-only Serverless plugin, listed first in a fixture: points the Framework's own AWS SDK
// (v2, which ignores AWS_ENDPOINT_URL) at the loopback endpoint in AWS_ENDPOINT_URL, so
// `serverless deploy` runs for real against moto. The plugin under test reads the variable
// itself, through the AWS SDK for Rust.

const AWS = require('aws-sdk');

class LoopbackAws {
  constructor() {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    if (!endpoint || !/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) {
      throw new Error(`loopback-aws: AWS_ENDPOINT_URL must be a loopback endpoint, got ${endpoint}`);
    }
    AWS.config.update({ endpoint, s3ForcePathStyle: true });
  }
}

module.exports = LoopbackAws;
