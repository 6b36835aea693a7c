import { expect } from 'chai';
import {
  catalogueMapping,
  eventSchemas,
  firstSocQualityOutput,
  outputKind,
  outputKinds,
  outputSchemas,
  outputTypes,
  pathFieldOf,
  recordingPath,
  uniqueKeyOf,
  type OutputKindSpec,
} from '../src/index.js';

describe('output kinds: one table for every kind of output', () => {
  it('gives every kind a schema that has its unique-key and path fields', () => {
    for (const type of outputTypes) {
      const kind = outputKinds[type] as OutputKindSpec;
      const fields = Object.keys(kind.schema.shape);
      if (kind.uniqueKey) expect(fields, `${type} key`).to.include(kind.uniqueKey.field);
      const pathField = pathFieldOf(kind);
      if (pathField) expect(fields, `${type} path field`).to.include(pathField);
      expect(outputSchemas[type], type).to.equal(kind.schema);
    }
  });

  it('has unique paths, so no two kinds share a route', () => {
    const paths = outputTypes.map((t) => outputKinds[t].path);
    expect(new Set(paths).size).to.equal(paths.length);
  });

  it('gives every kind a correction variant that accepts the kind as a replacement', () => {
    for (const type of outputTypes) {
      const replacement = { type, data: firstSocQualityOutput(type).data };
      const parsed = eventSchemas.OutputCorrected.safeParse({
        correctsEventId: '5f0c6a8e-2b1d-4c3e-9f4a-0123456789ab',
        replacement,
      });
      expect(parsed.success, `${type}: ${JSON.stringify(parsed.error?.issues)}`).to.equal(true);
    }
  });

  it('derives unique keys from the table', () => {
    expect(uniqueKeyOf('CampHeld', firstSocQualityOutput('CampHeld').data)).to.match(/^camp:/);
    expect(uniqueKeyOf('InclusionMeasureDelivered', firstSocQualityOutput('InclusionMeasureDelivered').data)).to.equal(
      undefined,
    );
  });

  it('builds the recording path, with a path field taken out of the data', () => {
    const started = firstSocQualityOutput('InfrastructureWorksStarted').data;
    expect(recordingPath('LLI-317', 'InfrastructureWorksStarted', started)).to.equal(
      `/v1/projects/LLI-317/infrastructure/${started.objectId}/started`,
    );
    expect(recordingPath('LLI-317', 'CampHeld', firstSocQualityOutput('CampHeld').data)).to.equal(
      '/v1/projects/LLI-317/camps',
    );
  });

  it('lists schema versions and the indicators each built-in catalogue counts a kind towards', () => {
    expect(outputKind('CampHeld').schemaVersions).to.deep.equal([1, 2]);
    expect(outputKind('StaffTrained').schemaVersions).to.deep.equal([1]);
    expect(catalogueMapping('CampHeld')).to.deep.equal({
      'interreg-2021-2027': ['RCO81'],
      'lv-lt-2014-2020': ['R3.1'],
    });
    expect(catalogueMapping('EquipmentPurchased')).to.deep.equal({ 'interreg-2021-2027': [], 'lv-lt-2014-2020': [] });
  });
});
