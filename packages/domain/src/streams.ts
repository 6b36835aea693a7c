/** Stream names, written once: a project's events live in `project-<projectId>`, a programme's in `programme-<id>`. */
const projectPrefix = 'project-';
const programmePrefix = 'programme-';

export const projectStream = (projectId: string): string => `${projectPrefix}${projectId}`;
export const programmeStream = (programmeId: string): string => `${programmePrefix}${programmeId}`;

/** A programme's transmissions to the Commission: apart from its own stream, which every project write reads. */
export const transmissionStream = (programmeId: string): string => `transmissions-${programmeId}`;

/** The project a stream belongs to, or undefined for any other stream. */
export const projectIdOfStream = (streamId: string): string | undefined =>
  streamId.startsWith(projectPrefix) ? streamId.slice(projectPrefix.length) : undefined;

/** The programme whose own stream this is, or undefined for any other stream. */
export const programmeIdOfStream = (streamId: string): string | undefined =>
  streamId.startsWith(programmePrefix) ? streamId.slice(programmePrefix.length) : undefined;
