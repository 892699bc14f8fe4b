// The project's notification topic (KMS-encrypted, SSL-only) with an optional e-mail
// subscription, and the EventBridge rules that turn pipeline failures and models waiting for
// approval into readable messages on it.
import { ArnFormat, Aws, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ProjectNames } from './project-names';
import { SAGEMAKER_PROJECT_ID_MAX_LENGTH } from './project-parameters';

/** Longest `ruleName` of {@link ProjectNotifications.notifyOn}: 64 minus `sagemaker-<16-character id>-`. */
export const MAX_RULE_PURPOSE_LENGTH = 64 - 'sagemaker-'.length - SAGEMAKER_PROJECT_ID_MAX_LENGTH - 1;

/** Properties of {@link ProjectNotifications}. */
export interface ProjectNotificationsProps {
  /** The project's names. */
  readonly names: ProjectNames;
  /** Key encrypting the topic. */
  readonly key: kms.IKey;
  /**
   * E-mail address to subscribe (token), with the condition under which it is set.
   * @default - no subscription
   */
  readonly email?: { readonly address: string; readonly condition: CfnCondition };
}

/** Notification topic and failure/approval rules of a project. */
export class ProjectNotifications extends Construct {
  /** The topic. */
  public readonly topic: sns.Topic;
  private readonly names: ProjectNames;

  constructor(scope: Construct, id: string, props: ProjectNotificationsProps) {
    super(scope, id);
    this.names = props.names;
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.names.short('notifications'),
      displayName: Fn.join('', ['SageMaker project ', props.names.projectName]),
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch alarm actions (the monitoring stacks' freshness and failure alarms) publish as the
    // CloudWatch service principal, which the topic policy must name (CloudWatch User Guide, "Using
    // Amazon CloudWatch alarms": SNS topic policy for alarm actions); only this project's alarms.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ProjectAlarmActions',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': [props.names.shortNameWildcard, props.names.longNameWildcard].map(
              (resourceName) =>
                Stack.of(this).formatArn({
                  service: 'cloudwatch',
                  resource: 'alarm',
                  resourceName,
                  arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                }),
            ),
          },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    if (props.email) {
      const sub = new sns.CfnSubscription(this, 'EmailSubscription', {
        topicArn: this.topic.topicArn,
        protocol: 'email',
        endpoint: props.email.address,
      });
      sub.cfnOptions.condition = props.email.condition;
    }
  }

  /**
   * Adds a rule that sends matching events to the topic with a message built from the event.
   * `ruleName` is the purpose part of `sagemaker-<project id>-<ruleName>`.
   */
  public notifyOn(
    id: string,
    ruleName: string,
    pattern: events.EventPattern,
    message: events.RuleTargetInput,
  ): events.Rule {
    // EventBridge rule names: at most 64 of [.-_A-Za-z0-9] (EventBridge API Reference, PutRule
    // `Name`); the prefix `sagemaker-<id>-` takes up to 27 of them (ids are at most 16 characters).
    if (!/^[A-Za-z0-9._-]+$/.test(ruleName) || ruleName.length > MAX_RULE_PURPOSE_LENGTH) {
      throw new Error(
        `notifyOn(${id}): ruleName '${ruleName}' must be 1 to ${MAX_RULE_PURPOSE_LENGTH} of the characters . - _ A-Z a-z 0-9`,
      );
    }
    return new events.Rule(this, id, {
      ruleName: this.names.short(ruleName),
      description: `Notify the SageMaker project ${this.names.projectName}: ${ruleName}`,
      eventPattern: pattern,
      targets: [new targets.SnsTopic(this.topic, { message })],
    });
  }
}
